using Gantry.Scheduling.Capacity;

namespace Gantry.Scheduling.Tests.Capacity;

public class CapacityProviderSplitTests
{
    private static readonly Dictionary<string, int> Nothing = [];

    /// <summary>"F:1:1,S:0:3" = FARGATE base 1 weight 1, FARGATE_SPOT base 0 weight 3.</summary>
    private static CapacityShare[] Strategy(string text) =>
        [.. text.Split(',').Select(item => item.Split(':')).Select(p => new CapacityShare(p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>"F=1 S=3": what the group runs per provider.</summary>
    private static Dictionary<string, int> Running(string text) =>
        text.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    private static string Counts(IEnumerable<string> providers, IEnumerable<string> order) =>
        string.Join(" ", order.Select(p => $"{p}={providers.Count(x => x == p)}"));

    [Theory]
    // The service: FARGATE base 1 weight 1 + FARGATE_SPOT weight 3, 4 tasks → 1 + 3.
    [InlineData("F:1:1,S:0:3", 4, "F=1 S=3")]
    [InlineData("F:1:1,S:0:3", 1, "F=1 S=0")]
    [InlineData("F:1:1,S:0:3", 5, "F=2 S=3")]
    [InlineData("F:1:1,S:0:3", 9, "F=3 S=6")]
    // The docs' 1:4: one of every five on A; the heavier provider fills first.
    [InlineData("A:0:1,B:0:4", 4, "A=0 B=4")]
    [InlineData("A:0:1,B:0:4", 5, "A=1 B=4")]
    [InlineData("A:0:1,B:0:4", 10, "A=2 B=8")]
    // Equal weights alternate, the earlier item first.
    [InlineData("A:0:1,B:0:1", 3, "A=2 B=1")]
    // Base on a weight-0 provider: it gets the base and nothing more.
    [InlineData("A:2:0,B:0:1", 5, "A=2 B=3")]
    // Weight 0 without a base is never used.
    [InlineData("A:0:0,B:0:2,C:0:1", 6, "A=0 B=4 C=2")]
    // The base is placed before any weighted task, even when another provider has the larger weight.
    [InlineData("A:0:5,B:3:1", 3, "A=0 B=3")]
    [InlineData("A:0:5,B:3:1", 9, "A=5 B=4")]
    public void Place_from_nothing_splits_as_ecs(string strategy, int count, string expected)
    {
        var shares = Strategy(strategy);

        var placed = CapacityProviderSplit.Place(shares, Nothing, count);

        Assert.Equal(expected, Counts(placed, shares.Select(s => s.Provider)));
    }

    [Fact]
    public void The_base_goes_first_then_the_weights_in_order()
    {
        Assert.Equal(["F", "S", "S", "S", "F", "S", "S", "S"], CapacityProviderSplit.Place(Strategy("F:1:1,S:0:3"), Nothing, 8));
    }

    [Theory]
    // What the group already runs counts: a missing base is refilled first.
    [InlineData("F:1:1,S:0:3", "S=3", 1, "F")]
    // A provider that fell behind (e.g. spot capacity lost) catches up.
    [InlineData("A:0:1,B:0:1", "B=3", 2, "A A")]
    // Already at the split of 4: the 5th and 6th are the 5th and 6th of a fresh split.
    [InlineData("F:1:1,S:0:3", "F=1 S=3", 2, "F S")]
    // Tasks on providers outside the strategy are ignored when placing.
    [InlineData("A:0:1", "X=5", 2, "A A")]
    public void Place_continues_from_what_the_group_runs(string strategy, string running, int count, string expected)
    {
        Assert.Equal(expected.Split(' '), CapacityProviderSplit.Place(Strategy(strategy), Running(running), count));
    }

    [Theory]
    [InlineData("F:1:1,S:0:3", "F=1 S=3", 1, "S")]
    [InlineData("F:1:1,S:0:3", "F=2 S=3", 1, "F")]
    // The base is the last to go.
    [InlineData("F:1:1,S:0:3", "F=1 S=3", 4, "S S S F")]
    // Tasks on providers the strategy no longer names go first, then weight-0 tasks beyond the base.
    [InlineData("A:0:1,B:0:1", "A=1 B=1 X=2", 3, "X X B")]
    [InlineData("A:0:0,B:0:1", "A=2 B=2", 3, "A A B")]
    // Stops when nothing is left.
    [InlineData("A:0:1", "A=2", 5, "A A")]
    public void Remove_takes_the_last_placed_task_first(string strategy, string running, int count, string expected)
    {
        Assert.Equal(expected.Split(' '), CapacityProviderSplit.Remove(Strategy(strategy), Running(running), count));
    }

    public static TheoryData<string> Strategies() =>
    [
        "F:1:1,S:0:3", "A:0:1,B:0:4", "A:0:1,B:0:1", "A:2:0,B:0:1", "A:0:0,B:0:2,C:0:1", "A:0:5,B:3:1",
        "A:0:3,B:0:2,C:0:2", "A:0:7,B:4:3,C:0:5,D:0:1", "A:0:1000,B:0:999,C:0:1", "A:100:1,B:0:1",
    ];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Scaling_up_one_at_a_time_or_at_once_and_down_again_agree(string strategy)
    {
        var shares = Strategy(strategy);
        const int Max = 60;
        var counts = shares.ToDictionary(s => s.Provider, _ => 0);
        for (var n = 1; n <= Max; n++)
        {
            counts[CapacityProviderSplit.Place(shares, counts, 1).Single()]++;
            Assert.Equal(CapacityProviderSplit.Distribute(shares, n), counts);
        }
        for (var n = Max - 1; n >= 0; n--)
        {
            counts[CapacityProviderSplit.Remove(shares, counts, 1).Single()]--;
            Assert.Equal(CapacityProviderSplit.Distribute(shares, n), counts);
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void At_multiples_of_the_weights_sum_the_split_beyond_the_base_is_exact(string strategy)
    {
        var shares = Strategy(strategy);
        var baseCount = shares.Sum(s => s.Base);
        var weights = shares.Sum(s => s.Weight);
        for (var m = 1; m <= 3; m++)
        {
            var split = CapacityProviderSplit.Distribute(shares, baseCount + (m * weights));
            Assert.All(shares, s => Assert.Equal(s.Base + (m * s.Weight), split[s.Provider]));
        }
    }

    [Theory]
    [InlineData("A:0:0")]
    [InlineData("A:1:0,B:0:0")]
    [InlineData("A:1:1,B:1:1")]
    [InlineData("A:0:1,A:0:2")]
    public void Refuses_strategies_the_validator_refuses(string strategy)
    {
        Assert.Throws<ArgumentException>(() => CapacityProviderSplit.Place(Strategy(strategy), Nothing, 1));
    }
}
