namespace Gantry.Domain.Logs;

/// <summary>
/// Where a container's awslogs output goes, the one rule shared by the agent (which ships) and the control plane
/// (which accepts a node's shipping only for the streams of its own tasks).
/// </summary>
public static class AwslogsNaming
{
    /// <summary>A runc id unique on the host and stable across agent restarts: the task id and the container name.</summary>
    public static string RuntimeId(string taskId, string containerName)
    {
        ArgumentNullException.ThrowIfNull(containerName);
        var safe = new string([.. containerName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return $"{taskId}-{safe}";
    }

    /// <summary>
    /// The log stream of one container: awslogs-stream when given (Docker's option), else <c>prefix/containerName/taskId</c>
    /// with a prefix (what ECS documents), otherwise Docker's default, the container's full runtime id.
    /// </summary>
    public static string Name(string? stream, string? streamPrefix, string containerName, string taskId) =>
        stream ?? (streamPrefix is null ? RuntimeId(taskId, containerName) : $"{streamPrefix}/{containerName}/{taskId}");
}
