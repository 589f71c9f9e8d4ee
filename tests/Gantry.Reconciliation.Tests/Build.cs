using Gantry.Reconciliation;

namespace Gantry.Reconciliation.Tests;

/// <summary>Small builders for reconcile inputs.</summary>
internal static class Build
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public const string Old = "ecs-svc/1";
    public const string New = "ecs-svc/2";
    public const string OldArn = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";
    public const string NewArn = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2";

    public static ServiceSpec Replica(
        int desired,
        int min = 100,
        int max = 200,
        bool breaker = false,
        bool rollback = false,
        TimeSpan? grace = null) =>
        new("web", "REPLICA", desired, min, max, breaker, rollback, grace ?? TimeSpan.Zero);

    public static ServiceSpec Daemon(int min = 0, int max = 100, bool breaker = false, bool rollback = false) =>
        new("agent", "DAEMON", 0, min, max, breaker, rollback, TimeSpan.Zero);

    public static DeploymentState Deployment(
        string id,
        string status = "PRIMARY",
        string rollout = "IN_PROGRESS",
        string? arn = null,
        int failed = 0,
        DateTimeOffset? created = null) =>
        new(id, arn ?? (id == Old ? OldArn : NewArn), status, rollout, null, failed, created ?? T0.AddMinutes(id == Old ? -60 : -1),
            created ?? T0.AddMinutes(id == Old ? -60 : -1));

    /// <summary>A completed, still-active old deployment and a new primary one: a rolling update in progress.</summary>
    public static DeploymentState[] Update() =>
        [Deployment(Old, "ACTIVE", "COMPLETED"), Deployment(New)];

    /// <summary>A healthy running task (with a container health check) started <paramref name="age"/> ago.</summary>
    public static ServiceTask Healthy(string id, string deployment = New, string node = "a", TimeSpan? age = null) =>
        new(id, deployment, node, "RUNNING", "RUNNING", "HEALTHY", true, T0 - (age ?? TimeSpan.FromMinutes(5)), null, true);

    public static ServiceTask Pending(string id, string deployment = New, string node = "a") =>
        new(id, deployment, node, "PENDING", "RUNNING", "UNKNOWN", true, null, null, false);

    public static ServiceTask Unhealthy(string id, TimeSpan age, string deployment = New, string node = "a") =>
        new(id, deployment, node, "RUNNING", "RUNNING", "UNHEALTHY", true, T0 - age, null, false);

    /// <summary>A task that stopped without ever being healthy: a circuit-breaker failure.</summary>
    public static ServiceTask Failed(string id, string deployment = New, string node = "a") =>
        new(id, deployment, node, "STOPPED", "STOPPED", "UNKNOWN", true, T0.AddSeconds(-50), T0.AddSeconds(-30), false);

    public static ServiceNode Node(
        string id,
        bool active = true,
        bool draining = false,
        bool connected = true,
        DateTimeOffset? disconnectedSince = null,
        bool matches = true) =>
        new(id, active, draining, connected, disconnectedSince, matches);

    public static ServiceNode[] Nodes(params string[] ids) => [.. ids.Select(id => Node(id))];

    public static ReconcileInput Input(
        ServiceSpec spec,
        IEnumerable<DeploymentState> deployments,
        IEnumerable<ServiceTask> tasks,
        IEnumerable<ServiceNode>? nodes = null,
        DateTimeOffset? now = null,
        TimeSpan? disconnectGrace = null) =>
        new(spec, [.. deployments], [.. tasks], [.. nodes ?? Nodes("a", "b", "c")], now ?? T0,
            disconnectGrace ?? TimeSpan.FromMinutes(3));

    public static IEnumerable<ServiceTask> Many(int count, Func<string, ServiceTask> make, string prefix) =>
        Enumerable.Range(1, count).Select(i => make($"{prefix}{i}"));

    public static int Launched(ReconcileResult result) => result.Launches.Sum(l => l.Count);

    public static DeploymentState Get(ReconcileResult result, string id) => result.Deployments.Single(d => d.Id == id);
}
