using Gantry.Scheduling;
using static Gantry.Scheduling.Tests.Build;

namespace Gantry.Scheduling.Tests;

public class PlacementStrategyTests
{
    private const string Zone = "attribute:ecs.availability-zone";

    [Fact]
    public void Binpack_cpu_fills_one_instance_before_the_next()
    {
        Candidate[] cluster = [Instance("c"), Instance("a"), Instance("b")];

        PlacementResult result = Placement.Place(Demand(cpu: 512, strategies: Binpack("cpu")), 6, cluster, new Random(1));

        Assert.Empty(result.Failures);
        Assert.Equal(["a", "a", "a", "a", "b", "b"], Ids(result));
    }

    [Fact]
    public void Binpack_memory_prefers_the_instance_with_least_memory_left_that_still_fits()
    {
        Candidate[] cluster = [Instance("big", memory: 8192), Instance("small", memory: 1024), Instance("tiny", memory: 256)];

        PlacementResult result = Placement.Place(Demand(memory: 512, strategies: Binpack("memory")), 3, cluster, new Random(1));

        Assert.Equal(["small", "small", "big"], Ids(result));
    }

    [Fact]
    public void Spread_over_availability_zones_puts_two_tasks_in_each_of_three_zones()
    {
        Candidate[] cluster =
        [
            InZone("a1", "us-east-1a"), InZone("a2", "us-east-1a"), InZone("a3", "us-east-1a"),
            InZone("b1", "us-east-1b"),
            InZone("c1", "us-east-1c"), InZone("c2", "us-east-1c"),
        ];

        PlacementResult result = Placement.Place(Demand(strategies: Spread(Zone)), 6, cluster, new Random(1));

        Dictionary<string, int> perZone = CountBy(result, c => c.Attributes["ecs.availability-zone"]!);
        Assert.Equal(2, perZone["us-east-1a"]);
        Assert.Equal(2, perZone["us-east-1b"]);
        Assert.Equal(2, perZone["us-east-1c"]);
    }

    [Fact]
    public void Spread_counts_tasks_of_the_same_group_already_running()
    {
        Candidate[] cluster =
        [
            Instance("a", attributes: new Dictionary<string, string?> { ["ecs.availability-zone"] = "us-east-1a" },
                tasks: [Task("family:web", "1"), Task("family:web", "2"), Task("family:other", "3")]),
            InZone("b", "us-east-1b"),
        ];

        PlacementResult result = Placement.Place(Demand(strategies: Spread(Zone)), 3, cluster, new Random(1));

        Assert.Equal(["b", "b", "a"], Ids(result));
    }

    [Fact]
    public void Spread_over_an_attribute_puts_instances_lacking_it_in_their_own_bucket()
    {
        Candidate[] cluster = [InZone("a", "us-east-1a"), Instance("n1"), Instance("n2")];

        PlacementResult result = Placement.Place(Demand(strategies: Spread(Zone)), 4, cluster, new Random(1));

        Dictionary<string, int> perZone = CountBy(result, c => c.Attributes.GetValueOrDefault("ecs.availability-zone") ?? "none");
        Assert.Equal(2, perZone["us-east-1a"]);
        Assert.Equal(2, perZone["none"]);
    }

    [Theory]
    [InlineData("instanceId")]
    [InlineData("host")]
    public void Spread_over_instances_round_robins(string field)
    {
        Candidate[] cluster = [Instance("b"), Instance("c"), Instance("a")];

        PlacementResult result = Placement.Place(Demand(strategies: Spread(field)), 6, cluster, new Random(1));

        Assert.Equal(["a", "b", "c", "a", "b", "c"], Ids(result));
    }

    [Fact]
    public void Random_is_deterministic_for_a_seed_and_uses_more_than_one_instance()
    {
        Candidate[] cluster = [Instance("a"), Instance("b"), Instance("c"), Instance("d")];
        TaskDemand demand = Demand(cpu: 128, strategies: Random());

        PlacementResult first = Placement.Place(demand, 8, cluster, new Random(42));
        PlacementResult second = Placement.Place(demand, 8, cluster, new Random(42));

        Assert.Equal(Ids(first), Ids(second));
        Assert.True(Ids(first).Distinct().Count() > 1);
    }

    [Fact]
    public void No_strategy_means_random()
    {
        Candidate[] cluster = [Instance("a"), Instance("b"), Instance("c"), Instance("d")];

        PlacementResult none = Placement.Place(Demand(cpu: 128), 8, cluster, new Random(7));
        PlacementResult random = Placement.Place(Demand(cpu: 128, strategies: Random()), 8, cluster, new Random(7));

        Assert.Equal(Ids(random), Ids(none));
    }

    [Fact]
    public void Spread_over_zones_then_binpack_memory_within_each_zone()
    {
        Candidate[] cluster =
        [
            InZone("a-roomy", "us-east-1a", memory: 8192), InZone("a-tight", "us-east-1a", memory: 2048),
            InZone("b-roomy", "us-east-1b", memory: 8192), InZone("b-tight", "us-east-1b", memory: 1024),
        ];

        PlacementResult result = Placement.Place(
            Demand(memory: 512, strategies: [Spread(Zone), Binpack("memory")]), 6, cluster, new Random(1));

        // Zones stay balanced; within a zone the fullest instance that still fits wins (b-tight is full after two).
        Assert.Equal(["b-tight", "a-tight", "b-tight", "a-tight", "a-tight", "b-roomy"], Ids(result));
    }

    [Fact]
    public void Binpack_then_spread_uses_the_second_strategy_only_to_break_ties()
    {
        Candidate[] cluster = [Instance("a", tasks: [Task("family:web")]), Instance("b")];

        PlacementResult result = Placement.Place(
            Demand(cpu: 512, strategies: [Binpack("cpu"), Spread("instanceId")]), 1, cluster, new Random(1));

        Assert.Equal(["b"], Ids(result));
    }

    [Fact]
    public void Placement_charges_resources_and_ports_for_tasks_placed_earlier_in_the_call()
    {
        Candidate[] cluster = [Instance("a", cpu: 1024), Instance("b", cpu: 1024)];

        PlacementResult result = Placement.Place(
            Demand(cpu: 256, ports: [80], strategies: Binpack("cpu")), 2, cluster, new Random(1));

        Assert.Equal(["a", "b"], Ids(result));
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void Chosen_entries_are_the_callers_candidates()
    {
        Candidate a = Instance("a");

        PlacementResult result = Placement.Place(Demand(strategies: Binpack("cpu")), 2, [a], new Random(1));

        Assert.All(result.Chosen, c => Assert.Same(a, c));
        Assert.Empty(a.Tasks);
    }

    [Fact]
    public void Zero_tasks_places_nothing()
    {
        PlacementResult result = Placement.Place(Demand(), 0, [], new Random(1));

        Assert.Empty(result.Chosen);
        Assert.Empty(result.Failures);
    }

    [Theory]
    [InlineData("binpack", "disk")]
    [InlineData("spread", "zone")]
    [InlineData("spread", "attribute:")]
    [InlineData("pack", null)]
    public void Invalid_strategies_are_rejected(string type, string? field)
    {
        Assert.Throws<ArgumentException>(() =>
            Placement.Place(Demand(strategies: new PlacementStrategySpec(type, field)), 1, [Instance("a")], new Random(1)));
    }

    [Fact]
    public void More_than_five_strategies_are_rejected()
    {
        PlacementStrategySpec[] six = [.. Enumerable.Repeat(Random(), 6)];

        Assert.Throws<ArgumentException>(() => Placement.Place(Demand(strategies: six), 1, [Instance("a")], new Random(1)));
    }

    [Fact]
    public void A_binpack_field_is_taken_in_either_case_and_other_fields_as_given()
    {
        Assert.Equal(new PlacementStrategySpec("binpack", "memory"), PlacementStrategySpec.Of("binpack", "MEMORY"));
        Assert.Equal(new PlacementStrategySpec("spread", "attribute:Rack"), PlacementStrategySpec.Of("spread", "attribute:Rack"));
        Assert.Equal(new PlacementStrategySpec("random", null), PlacementStrategySpec.Of("random", null));
    }
}
