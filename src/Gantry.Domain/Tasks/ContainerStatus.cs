namespace Gantry.Domain.Tasks;

/// <summary>A container's <c>lastStatus</c> in lifecycle order: PENDING → RUNNING → STOPPED. It only moves forward.</summary>
public static class ContainerStatus
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Stopped = "STOPPED";

    /// <summary>Every status, in lifecycle order.</summary>
    public static IReadOnlyList<string> Order { get; } = [Pending, Running, Stopped];

    /// <summary>The status after <paramref name="next"/> was reported in <paramref name="current"/>: never earlier than
    /// <paramref name="current"/>, and an unknown report changes nothing.</summary>
    public static string Forward(string current, string next) => StatusOrder.Max(Order, current, next);
}
