using Gantry.Scheduling;
using static Gantry.Scheduling.Tests.Build;

namespace Gantry.Scheduling.Tests;

/// <summary>
/// The indexed placement (partitions, cached bests, columns) against the rule it implements, computed naively:
/// each task goes to the feasible instance with the smallest strategy keys, ties to the smallest ID.
/// </summary>
public class PlacementIndexTests
{
    private const string Zone = "ecs.availability-zone";

    public static TheoryData<string> Chains => ["spreadZone,binpackMemory", "binpackCpu", "spreadInstance", "binpackMemory,spreadZone",
        "spreadZone,spreadInstance", "spreadZone,binpackCpu,binpackMemory", "spreadRack,spreadZone,binpackMemory"];

    [Theory]
    [MemberData(nameof(Chains))]
    public void Places_exactly_where_the_naive_lexicographic_rule_does(string chain)
    {
        var random = new Random(7);
        for (int round = 0; round < 40; round++)
        {
            Candidate[] cluster = RandomCluster(random, random.Next(1, 40));
            TaskDemand demand = Demand(cpu: 128 * random.Next(1, 5), memory: 256 * random.Next(1, 5), group: "service:web",
                constraints: random.Next(4) == 0 ? [DistinctInstance()] : [], strategies: Strategies(chain));
            int count = random.Next(1, 30);

            PlacementResult result = Placement.Place(demand, count, cluster, new Random(1));

            Assert.Equal(Naive(demand, count, cluster), Ids(result));
        }
    }

    [Fact]
    public void An_index_updated_instance_by_instance_places_as_one_built_afresh()
    {
        var random = new Random(3);
        Candidate[] cluster = RandomCluster(random, 30);
        var index = PlacementIndex.Of(cluster);
        TaskDemand demand = Demand(memory: 512, group: "service:web", strategies: [Spread("attribute:" + Zone), Binpack("memory")]);
        for (int step = 0; step < 60; step++)
        {
            Candidate chosen = index.Place(demand, 1, new Random(1)).Chosen.Single();
            Candidate updated = chosen with
            {
                RemainingMemory = chosen.RemainingMemory - 512,
                Tasks = [.. chosen.Tasks, Task("service:web", $"s{step}")],
            };
            index.Set(updated);
            cluster[Array.FindIndex(cluster, c => c.InstanceId == chosen.InstanceId)] = updated;
            if (step % 20 == 19)
            {
                Assert.True(index.Remove(cluster[0].InstanceId));
                cluster = cluster[1..];
            }

            Assert.Equal(Ids(Placement.Place(demand, 5, cluster, new Random(1))), Ids(index.Place(demand, 5, new Random(1))));
        }
    }

    [Fact]
    public void Random_alone_uses_every_feasible_instance_and_no_other()
    {
        Candidate[] cluster = [Instance("a"), Instance("b"), Instance("full", memory: 0), Instance("c")];

        PlacementResult result = Placement.Place(Demand(memory: 1), 300, cluster, new Random(5));

        Assert.Equal(["a", "b", "c"], result.Chosen.Select(c => c.InstanceId).Distinct().Order().ToArray());
    }

    private static PlacementStrategySpec[] Strategies(string chain) => [.. chain.Split(',').Select(s => s switch
    {
        "spreadZone" => Spread("attribute:" + Zone),
        "spreadRack" => Spread("attribute:rack"),
        "spreadInstance" => Spread("instanceId"),
        "binpackCpu" => Binpack("cpu"),
        _ => Binpack("memory"),
    })];

    private static Candidate[] RandomCluster(Random random, int size) => [.. Enumerable.Range(0, size).Select(i =>
    {
        var attributes = new Dictionary<string, string?> { ["rack"] = $"r{random.Next(3)}" };
        if (random.Next(6) > 0)
        {
            attributes[Zone] = $"us-east-1{(char)('a' + random.Next(3))}";
        }

        PlacedTask[] tasks = [.. Enumerable.Range(0, random.Next(3)).Select(t => Task(random.Next(2) == 0 ? "service:web" : "family:other", $"{i}-{t}"))];
        return Instance($"n{random.Next(1000):D3}-{i}", cpu: 128 * random.Next(0, 17), memory: 256 * random.Next(0, 17),
            attributes: attributes, tasks: tasks, connected: random.Next(10) > 0, active: random.Next(10) > 0);
    })];

    /// <summary>The rule, spelled out: every step scores every feasible active instance afresh.</summary>
    private static string[] Naive(TaskDemand demand, int count, Candidate[] cluster)
    {
        var cpu = cluster.ToDictionary(c => c.InstanceId, c => c.RemainingCpu);
        var memory = cluster.ToDictionary(c => c.InstanceId, c => c.RemainingMemory);
        var group = cluster.ToDictionary(c => c.InstanceId, c => c.Tasks.Count(t => t.Group == demand.Group));
        bool distinct = demand.Constraints.Count > 0;
        var chosen = new List<string>();
        for (int i = 0; i < count; i++)
        {
            Candidate[] feasible = [.. cluster.Where(c => c.Active && c.Connected && cpu[c.InstanceId] >= demand.Cpu
                && memory[c.InstanceId] >= demand.Memory && (!distinct || group[c.InstanceId] == 0))];
            if (feasible.Length == 0)
            {
                break;
            }

            Candidate best = feasible
                .Select(c => (Node: c, Keys: demand.Strategies.Select(s => Key(s, c, cluster, cpu, memory, group)).ToArray()))
                .OrderBy(x => x.Keys, Comparer<long[]>.Create((a, b) => a.Zip(b, (p, q) => p.CompareTo(q)).FirstOrDefault(v => v != 0)))
                .ThenBy(x => x.Node.InstanceId, StringComparer.Ordinal)
                .First().Node;
            chosen.Add(best.InstanceId);
            cpu[best.InstanceId] -= demand.Cpu;
            memory[best.InstanceId] -= demand.Memory;
            group[best.InstanceId]++;
        }

        return [.. chosen];
    }

    private static long Key(PlacementStrategySpec strategy, Candidate node, Candidate[] cluster,
        Dictionary<string, int> cpu, Dictionary<string, int> memory, Dictionary<string, int> group)
    {
        if (strategy.Type == "binpack")
        {
            return strategy.Field == "cpu" ? cpu[node.InstanceId] : memory[node.InstanceId];
        }

        if (strategy.Field == "instanceId")
        {
            return group[node.InstanceId];
        }

        string attribute = strategy.Field!["attribute:".Length..];
        string? Value(Candidate c) => c.Attributes.TryGetValue(attribute, out string? v) ? v ?? "" : null;
        return cluster.Where(c => c.Active && Value(c) == Value(node)).Sum(c => group[c.InstanceId]);
    }
}
