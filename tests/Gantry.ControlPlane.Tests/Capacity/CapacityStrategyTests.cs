using Gantry.ControlPlane.Capacity;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.ControlPlane.Tests.Capacity;

public class CapacityStrategyTests
{
    /// <summary>"FARGATE:1:1,FARGATE_SPOT:-:3" (base, weight; '-' = omitted).</summary>
    private static List<CapacityProviderStrategyItem> Items(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split(',').Select(item => item.Split(':')).Select(p => new CapacityProviderStrategyItem
        {
            CapacityProvider = p[0].Length == 0 ? null : p[0],
            Base = p[1] == "-" ? null : int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture),
            Weight = p[2] == "-" ? null : int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture),
        })];

    private static Cluster Cluster(string providers = "FARGATE,FARGATE_SPOT,ng-a,ng-b", string? defaults = null) => new()
    {
        ClusterName = "c",
        Status = "ACTIVE",
        CapacityProviders = providers.Split(',', StringSplitOptions.RemoveEmptyEntries),
        DefaultCapacityProviderStrategy = Items(defaults),
    };

    private static string Describe(LaunchCapacity launch) =>
        launch.UsesStrategy
            ? string.Join(",", launch.Strategy.Select(i => $"{i.CapacityProvider}:{i.Base}:{i.Weight}")) + $" ({launch.TaskLaunchType})"
            : launch.LaunchType!;

    [Theory]
    // A launch type wins when the request has no strategy, even over a cluster default.
    [InlineData(null, "FARGATE", null, "FARGATE")]
    [InlineData("FARGATE:-:1", "EC2", null, "EC2")]
    // The request's strategy, filled in.
    [InlineData(null, null, "FARGATE:1:1,FARGATE_SPOT:-:3", "FARGATE:1:1,FARGATE_SPOT:0:3 (FARGATE)")]
    [InlineData("FARGATE:-:1", null, "ng-a:-:1", "ng-a:0:1 (EC2)")]
    // Neither: the cluster default, else EC2.
    [InlineData("FARGATE_SPOT:-:2", null, null, "FARGATE_SPOT:0:2 (FARGATE)")]
    [InlineData(null, null, null, "EC2")]
    [InlineData(null, null, "", "EC2")]
    public void Resolve_picks_launch_type_then_strategy_then_cluster_default(string? defaults, string? launchType, string? strategy, string expected)
    {
        var launch = CapacityStrategy.Resolve(Cluster(defaults: defaults), launchType, strategy is null ? null : Items(strategy));

        Assert.Equal(expected, Describe(launch));
    }

    [Theory]
    [InlineData("EC2", "FARGATE:-:1", CapacityStrategy.BothMessage)]
    [InlineData("SPOT", null, "launchType 'SPOT' is not valid")]
    [InlineData(null, "FARGATE:-:0,FARGATE_SPOT:2:0", CapacityStrategy.NoWeightMessage)]
    [InlineData(null, "FARGATE:1:1,FARGATE_SPOT:1:1", "Only one capacity provider in capacityProviderStrategy can have a base value defined.")]
    [InlineData(null, "FARGATE:-:1001", "capacityProviderStrategy[0].weight must be between 0 and 1000.")]
    [InlineData(null, "FARGATE:-:-1", "capacityProviderStrategy[0].weight must be between 0 and 1000.")]
    [InlineData(null, "FARGATE:-:1,FARGATE_SPOT:100001:1", "capacityProviderStrategy[1].base must be between 0 and 100000.")]
    [InlineData(null, ":-:1", "capacityProviderStrategy[0].capacityProvider must be specified.")]
    [InlineData(null, "FARGATE:-:1,FARGATE:-:2", "capacityProviderStrategy contains the capacity provider 'FARGATE' more than once.")]
    [InlineData(null, "ng-c:-:1", CapacityStrategy.NotAssociatedMessage)]
    [InlineData(null, "FARGATE:-:1,ng-a:-:1", CapacityStrategy.MixedMessage)]
    public void Resolve_refuses_with_ecs_wording(string? launchType, string? strategy, string message)
    {
        var error = Assert.Throws<AwsException>(() => CapacityStrategy.Resolve(Cluster(), launchType, strategy is null ? null : Items(strategy)));

        Assert.Equal("InvalidParameterException", error.Type);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_refuses_a_default_strategy_without_weight_in_its_own_words()
    {
        var error = Assert.Throws<AwsException>(() => CapacityStrategy.Resolve(Cluster(defaults: "FARGATE:1:0"), null, null));

        Assert.StartsWith("There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_strategy_has_at_most_twenty_items()
    {
        var many = Enumerable.Range(0, 21).Select(i => new CapacityProviderStrategyItem { CapacityProvider = $"p{i}", Weight = 1 }).ToList();

        var error = Assert.Throws<AwsException>(() => CapacityStrategy.Validate(many, "capacityProviderStrategy", [.. many.Select(i => i.CapacityProvider!)]));

        Assert.Equal("capacityProviderStrategy can contain at most 20 capacity providers.", error.Message);
    }

    [Theory]
    // The cluster's own default may have all weights 0 (launches using it fail), as ECS allows.
    [InlineData("FARGATE,FARGATE_SPOT", "FARGATE:1:0", null)]
    [InlineData("FARGATE", "FARGATE_SPOT:-:1", CapacityStrategy.NotAssociatedMessage)]
    [InlineData("FARGATE,FARGATE", "", "capacityProviders contains 'FARGATE' more than once.")]
    [InlineData("FARGATE,ng-a", "FARGATE:-:1,ng-a:-:1", CapacityStrategy.MixedMessage)]
    [InlineData("", "", null)]
    public void ValidateCluster_checks_the_list_and_the_default(string providers, string strategy, string? message)
    {
        var list = providers.Split(',', StringSplitOptions.RemoveEmptyEntries);
        void Validate() => CapacityStrategy.ValidateCluster(list, Items(strategy));

        if (message is null)
        {
            Validate();
        }
        else
        {
            Assert.Equal(message, Assert.Throws<AwsException>(Validate).Message);
        }
    }

    [Fact]
    public void A_cluster_has_at_most_twenty_providers()
    {
        var error = Assert.Throws<AwsException>(() => CapacityStrategy.ValidateCluster([.. Enumerable.Range(0, 21).Select(i => $"p{i}")], []));

        Assert.Equal(CapacityStrategy.TooManyClusterProvidersMessage, error.Message);
    }

    [Fact]
    public void Shares_feed_the_splitter()
    {
        var launch = CapacityStrategy.Resolve(Cluster(), null, Items("FARGATE:1:1,FARGATE_SPOT:-:3"));

        var placed = Scheduling.Capacity.CapacityProviderSplit.Place(launch.Shares, new Dictionary<string, int>(), 4);

        Assert.Equal(["FARGATE", "FARGATE_SPOT", "FARGATE_SPOT", "FARGATE_SPOT"], placed);
    }
}
