namespace Gantry.Domain.Tasks;

/// <summary>The MAC address of a task's own interface (awsvpc, bridge), the same on its node and in the control plane.</summary>
public static class TaskMacAddress
{
    /// <summary>
    /// Fixed by the task id, so it survives agent restarts: a locally administered unicast address (first byte 0e, as
    /// Fargate's interfaces show) followed by the task id's first five bytes (of its hash when the id is not hex).
    /// </summary>
    public static string Of(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var hex = taskId.Length >= 10 && taskId[..10].All(char.IsAsciiHexDigit) ? taskId[..10].ToLowerInvariant()
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(taskId)))[..10];
        return "0e:" + string.Join(':', Enumerable.Range(0, 5).Select(i => hex.Substring(i * 2, 2)));
    }
}
