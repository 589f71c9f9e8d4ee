namespace Gantry.Domain.Tasks;

/// <summary>
/// Which of its cluster's and its container instance's counters a task adds to: <see cref="Pending"/> from its
/// placement until it is RUNNING, then <see cref="Running"/> until it is STOPPED, then <see cref="None"/> (its
/// resources are released). The counter moves together with the task, in the same commit (<see cref="TaskLedger"/>).
/// </summary>
public static class TaskCounter
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string None = "NONE";

    /// <summary>The counter of a task that counted in <paramref name="counted"/> once its status is <paramref name="lastStatus"/>.</summary>
    public static string After(string counted, string? lastStatus) =>
        lastStatus == TaskStatus.Stopped ? None
        : lastStatus == TaskStatus.Running && counted == Pending ? Running
        : counted;
}
