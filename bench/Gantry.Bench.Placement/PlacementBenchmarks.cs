using BenchmarkDotNet.Attributes;
using Gantry.Bench.Placement.Baseline;
using Gantry.Scheduling;

namespace Gantry.Bench.Placement;

/// <summary>
/// One RunTask's placement: 10 tasks of a service, spread over availability zones then binpack on memory, needing
/// an awslogs-capable instance. Results are per task placed. <c>Baseline</c> is the code of main 509d04a;
/// <c>Indexed</c> builds the index from the candidate list every call (the old API); <c>IndexKept</c> keeps one
/// index across calls, as the control plane's cluster cache does, and charges each call's tasks into it (so the
/// cluster fills the way it would, and a full index is rebuilt from the start).
/// </summary>
[Config(typeof(PlacementConfig))]
[MemoryDiagnoser]
public class PlacementBenchmarks
{
    private const int TasksPerCall = 10;

    private static readonly TaskDemand Demand = new("service:web", "web", Cpu: 256, Memory: 512, StaticTcpPorts: [],
        RequiredAttributes: [("com.amazonaws.ecs.capability.logging-driver.awslogs", null)], Constraints: [],
        Strategies: [new PlacementStrategySpec("spread", "attribute:ecs.availability-zone"), new PlacementStrategySpec("binpack", "memory")]);

    private Candidate[] _cluster = [];
    private PlacementIndex _index = null!;
    private readonly Random _random = new(1);

    [Params(50, 5000)]
    public int Instances { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cluster = SimulatedCluster.Build(Instances, seed: 42);
        _index = PlacementIndex.Of(_cluster);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TasksPerCall)]
    public int Baseline() => BaselinePlacement.Place(Demand, TasksPerCall, _cluster, _random).Chosen.Count;

    [Benchmark(OperationsPerInvoke = TasksPerCall)]
    public int Indexed() => Gantry.Scheduling.Placement.Place(Demand, TasksPerCall, _cluster, _random).Chosen.Count;

    [Benchmark(OperationsPerInvoke = TasksPerCall)]
    public int IndexKept()
    {
        PlacementResult result = _index.Place(Demand, TasksPerCall, _random);
        if (result.Chosen.Count < TasksPerCall)
        {
            _index = PlacementIndex.Of(_cluster);
            return result.Chosen.Count;
        }

        foreach (Candidate chosen in result.Chosen)
        {
            Candidate now = _index.Get(chosen.InstanceId)!;
            _index.Set(now with
            {
                RemainingCpu = now.RemainingCpu - Demand.Cpu,
                RemainingMemory = now.RemainingMemory - Demand.Memory,
                Tasks = [.. now.Tasks, new PlacedTask("t", Demand.Group, Demand.Family, null)],
            });
        }

        return result.Chosen.Count;
    }
}
