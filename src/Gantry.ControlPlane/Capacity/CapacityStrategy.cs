using Gantry.ControlPlane.Fargate;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Scheduling.Capacity;

namespace Gantry.ControlPlane.Capacity;

/// <summary>How a launch gets capacity: a launch type, or a capacity provider strategy (never both).</summary>
/// <param name="LaunchType">EC2, FARGATE or EXTERNAL when the launch names a launch type, or when neither it nor the cluster
/// has a strategy (EC2); null when <paramref name="Strategy"/> decides.</param>
/// <param name="Strategy">The effective strategy, bases and weights filled in (0 when omitted); empty with a launch type.</param>
public sealed record LaunchCapacity(string? LaunchType, IReadOnlyList<CapacityProviderStrategyItem> Strategy)
{
    /// <summary>A plain EC2 launch: what a launch without a launch type or any strategy gets.</summary>
    public static LaunchCapacity Ec2 { get; } = new(LaunchTypeValues.EC2, []);

    public bool UsesStrategy => Strategy.Count > 0;

    public bool IsFargate => TaskLaunchType == LaunchTypeValues.FARGATE;

    /// <summary>What a service launches with, as CreateService or UpdateService stored it.</summary>
    public static LaunchCapacity Of(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.CapacityProviderStrategy is { Count: > 0 } strategy
            ? new LaunchCapacity(null, strategy)
            : new LaunchCapacity(service.LaunchType ?? LaunchTypeValues.EC2, []);
    }

    /// <summary>The launch type of the tasks: the one named, else FARGATE for a Fargate strategy, EC2 for node groups.</summary>
    public string TaskLaunchType => LaunchType ?? FargatePool.LaunchTypeOf(Strategy[0].CapacityProvider!);

    /// <summary>The strategy as <see cref="CapacityProviderSplit"/> takes it.</summary>
    public IReadOnlyList<CapacityShare> Shares => [.. Strategy.Select(i => new CapacityShare(i.CapacityProvider!, i.Base ?? 0, i.Weight ?? 0))];
}

/// <summary>
/// The capacity provider strategy rules of RunTask, CreateService, UpdateService, CreateCluster and
/// PutClusterCapacityProviders (REFERENCE-NEXT 1.3): at most 20 items, each naming a provider once by short name, weight
/// 0-1000, base 0-100000, at most one base; providers associated with the cluster; Fargate and node-group providers
/// never mixed; a launch type and a strategy never both; a strategy used to launch needs a weight above zero. Each
/// refusal is an InvalidParameterException in ECS's words where they are known.
/// </summary>
public static class CapacityStrategy
{
    public const int MaxItems = 20;
    public const int MaxWeight = 1000;
    public const int MaxBase = 100000;

    /// <summary>How many capacity providers a cluster can have.</summary>
    public const int MaxClusterProviders = 20;

    public const string BothMessage = "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.";
    public const string NotAssociatedMessage = "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.";
    public const string MixedMessage = "A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.";
    public const string NoWeightInDefaultMessage = "There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the cluster's default capacity provider strategy with PutClusterCapacityProviders, or specify a launch type or capacity provider strategy, and try again.";
    public const string NoWeightMessage = "There are no capacity providers with a weight value greater than zero defined in the capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified.";
    public const string TooManyClusterProvidersMessage = "The maximum number of capacity providers per cluster has been exceeded.";

    /// <summary>
    /// What a RunTask, CreateService or UpdateService launches with: the request's launch type, else the request's
    /// strategy, else the cluster's default strategy, else launch type EC2. Throws InvalidParameterException when the
    /// request names both, or when the strategy it ends up with breaks a rule.
    /// </summary>
    /// <param name="field">The request's field, for messages (<c>capacityProviderStrategy</c>).</param>
    public static LaunchCapacity Resolve(Cluster cluster, string? launchType, IReadOnlyList<CapacityProviderStrategyItem>? strategy,
        string field = "capacityProviderStrategy")
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (launchType is not null && strategy is { Count: > 0 })
        {
            throw EcsErrors.InvalidParameter(BothMessage);
        }
        if (launchType is not null)
        {
            return LaunchTypeValues.All.Contains(launchType)
                ? new LaunchCapacity(launchType, [])
                : throw EcsErrors.InvalidParameter($"launchType '{launchType}' is not valid. Valid values: {string.Join(", ", LaunchTypeValues.All)}.");
        }
        if (strategy is { Count: > 0 })
        {
            Validate(strategy, field, cluster.CapacityProviders ?? []);
            return HasWeight(strategy) ? new LaunchCapacity(null, Filled(strategy)) : throw EcsErrors.InvalidParameter(NoWeightMessage);
        }
        if (cluster.DefaultCapacityProviderStrategy is { Count: > 0 } fallback)
        {
            return HasWeight(fallback) ? new LaunchCapacity(null, Filled(fallback)) : throw EcsErrors.InvalidParameter(NoWeightInDefaultMessage);
        }
        return new LaunchCapacity(LaunchTypeValues.EC2, []);
    }

    /// <summary>
    /// The shape rules of a cluster's provider list and default strategy (CreateCluster, PutClusterCapacityProviders):
    /// at most <see cref="MaxClusterProviders"/> providers, each once, and a default strategy that follows
    /// <see cref="Validate"/> over them. All weights 0 is allowed here, as in ECS: launches that use it fail.
    /// Whether the providers exist is the caller's to check.
    /// </summary>
    public static void ValidateCluster(IReadOnlyList<string> providers, IReadOnlyList<CapacityProviderStrategyItem> defaultStrategy)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(defaultStrategy);
        if (providers.Count > MaxClusterProviders)
        {
            throw EcsErrors.InvalidParameter(TooManyClusterProvidersMessage);
        }
        for (var i = 0; i < providers.Count; i++)
        {
            if (string.IsNullOrEmpty(providers[i]))
            {
                throw EcsErrors.InvalidParameter($"capacityProviders[{i}] must be a capacity provider name.");
            }
            if (providers.Take(i).Contains(providers[i], StringComparer.Ordinal))
            {
                throw EcsErrors.InvalidParameter($"capacityProviders contains '{providers[i]}' more than once.");
            }
        }
        Validate(defaultStrategy, "defaultCapacityProviderStrategy", providers);
    }

    /// <summary>The rules every strategy follows, whatever uses it; <paramref name="associated"/> are the cluster's providers.</summary>
    public static void Validate(IReadOnlyList<CapacityProviderStrategyItem> strategy, string field, IReadOnlyList<string> associated)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(associated);
        if (strategy.Count > MaxItems)
        {
            throw EcsErrors.InvalidParameter($"{field} can contain at most {MaxItems} capacity providers.");
        }
        for (var i = 0; i < strategy.Count; i++)
        {
            var item = strategy[i] ?? throw EcsErrors.InvalidParameter($"{field}[{i}] must be a capacity provider strategy item.");
            if (string.IsNullOrEmpty(item.CapacityProvider))
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].capacityProvider must be specified.");
            }
            if (item.Weight is < 0 or > MaxWeight)
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].weight must be between 0 and {MaxWeight}.");
            }
            if (item.Base is < 0 or > MaxBase)
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].base must be between 0 and {MaxBase}.");
            }
            if (strategy.Take(i).Any(earlier => earlier.CapacityProvider == item.CapacityProvider))
            {
                throw EcsErrors.InvalidParameter($"{field} contains the capacity provider '{item.CapacityProvider}' more than once.");
            }
        }
        if (strategy.Count(item => item.Base > 0) > 1)
        {
            throw EcsErrors.InvalidParameter($"Only one capacity provider in {field} can have a base value defined.");
        }
        if (strategy.Any(item => !associated.Contains(item.CapacityProvider!, StringComparer.Ordinal)))
        {
            throw EcsErrors.InvalidParameter(NotAssociatedMessage);
        }
        if (strategy.Select(item => FargatePool.IsProvider(item.CapacityProvider)).Distinct().Count() > 1)
        {
            throw EcsErrors.InvalidParameter(MixedMessage);
        }
    }

    private static bool HasWeight(IReadOnlyList<CapacityProviderStrategyItem> strategy) => strategy.Any(item => item.Weight > 0);

    /// <summary>A strategy as ECS stores and shows it: base and weight always present (0 when omitted).</summary>
    public static List<CapacityProviderStrategyItem> Filled(IReadOnlyList<CapacityProviderStrategyItem> strategy) =>
        [.. strategy.Select(item => item with { Base = item.Base ?? 0, Weight = item.Weight ?? 0 })];
}
