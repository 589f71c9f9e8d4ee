namespace Gantry.Domain.Tasks;

/// <summary>
/// A task's <c>lastStatus</c> (and <c>desiredStatus</c>, which uses RUNNING and STOPPED) in the order ECS walks it:
/// PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED → DELETED.
/// A status only moves forward: every update goes through <see cref="Forward"/>.
/// </summary>
public static class TaskStatus
{
    /// <summary>Steps before the launch: the task's network (an ENI in awsvpc mode).</summary>
    public const string Provisioning = "PROVISIONING";

    /// <summary>Waiting for its images.</summary>
    public const string Pending = "PENDING";

    /// <summary>Starting its containers.</summary>
    public const string Activating = "ACTIVATING";

    public const string Running = "RUNNING";

    /// <summary>Steps before the stop (deregistration from load balancers and service discovery).</summary>
    public const string Deactivating = "DEACTIVATING";

    /// <summary>Its containers are being stopped.</summary>
    public const string Stopping = "STOPPING";

    /// <summary>Steps after the stop: its network is removed.</summary>
    public const string Deprovisioning = "DEPROVISIONING";

    public const string Stopped = "STOPPED";

    public const string Deleted = "DELETED";

    /// <summary>Every status, in lifecycle order.</summary>
    public static IReadOnlyList<string> Order { get; } =
        [Provisioning, Pending, Activating, Running, Deactivating, Stopping, Deprovisioning, Stopped, Deleted];

    /// <summary>The later of two statuses (<paramref name="a"/> when neither is later; an unknown status is never later).</summary>
    public static string Max(string a, string b) => StatusOrder.Max(Order, a, b);

    /// <summary>The status after <paramref name="next"/> was reported in <paramref name="current"/>: never earlier than
    /// <paramref name="current"/>, and an unknown report changes nothing.</summary>
    public static string Forward(string current, string next) => Max(current, next);

    /// <summary>STOPPED or DELETED: nothing happens to the task any more.</summary>
    public static bool IsTerminal(string? status) => status is Stopped or Deleted;

    /// <summary>PROVISIONING, PENDING or ACTIVATING: on its way to RUNNING.</summary>
    public static bool IsStarting(string? status) => Rank(status) >= 0 && Rank(status) < Rank(Running);

    /// <summary>DEACTIVATING or later: on its way out (or out).</summary>
    public static bool IsStopping(string? status) => Rank(status) >= Rank(Deactivating);

    private static int Rank(string? status) => StatusOrder.Rank(Order, status);
}
