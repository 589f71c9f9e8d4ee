using Gantry.Scheduling;

namespace Gantry.Scheduling.Tests;

/// <summary>Small builders for candidates and demands.</summary>
internal static class Build
{
    public static Candidate Instance(
        string id,
        int cpu = 2048,
        int memory = 4096,
        IEnumerable<int>? ports = null,
        IReadOnlyDictionary<string, string?>? attributes = null,
        IEnumerable<PlacedTask>? tasks = null,
        bool connected = true,
        bool active = true,
        string? ec2InstanceId = null) =>
        new(
            id,
            Arn(id),
            ec2InstanceId ?? $"i-{id}",
            active,
            connected,
            cpu,
            memory,
            new HashSet<int>(ports ?? []),
            attributes ?? new Dictionary<string, string?>(),
            [.. tasks ?? []]);

    public static string Arn(string id) => $"arn:aws:ecs:us-east-1:000000000000:container-instance/test/{id}";

    public static Candidate InZone(string id, string zone, int cpu = 2048, int memory = 4096) =>
        Instance(id, cpu, memory, attributes: new Dictionary<string, string?> { ["ecs.availability-zone"] = zone });

    public static PlacedTask Task(string group, string id = "t") => new(id, group, "web", TaskDefinitionArn: null);

    public static TaskDemand Demand(
        int cpu = 256,
        int memory = 256,
        string group = "family:web",
        IReadOnlyList<int>? ports = null,
        IReadOnlyList<(string Name, string? Value)>? required = null,
        IReadOnlyList<PlacementConstraintSpec>? constraints = null,
        params PlacementStrategySpec[] strategies) =>
        new(group, "web", cpu, memory, ports ?? [], required ?? [], constraints ?? [], strategies);

    public static PlacementStrategySpec Binpack(string field) => new("binpack", field);

    public static PlacementStrategySpec Spread(string field) => new("spread", field);

    public static PlacementStrategySpec Random() => new("random", null);

    public static PlacementConstraintSpec MemberOf(string expression) => new("memberOf", expression);

    public static PlacementConstraintSpec DistinctInstance() => new("distinctInstance", null);

    public static string[] Ids(PlacementResult result) => [.. result.Chosen.Select(c => c.InstanceId)];

    public static Dictionary<string, int> CountBy(PlacementResult result, Func<Candidate, string> key) =>
        result.Chosen.GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
}
