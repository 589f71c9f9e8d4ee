namespace Gantry.ControlPlane.Fargate;

/// <summary>
/// Gantry's own Fargate capacity: nodes that joined a pool (FARGATE or FARGATE_SPOT) instead of, or besides, a cluster.
/// A pool node is stored as a container instance of the pool's internal name, which no user cluster can take (cluster
/// names have no dots), so no ECS operation ever shows or changes it; any cluster's Fargate tasks run there.
/// </summary>
public static class FargatePool
{
    public const string Fargate = "FARGATE";
    public const string FargateSpot = "FARGATE_SPOT";
    public const string PlatformVersion = "1.4.0";

    /// <summary>Default ephemeral storage of a Fargate task (GiB), as Fargate platform version 1.4.0 gives.</summary>
    public const int DefaultEphemeralStorageGib = 20;

    public static readonly IReadOnlyList<string> Providers = [Fargate, FargateSpot];

    /// <summary>The internal name under which the pool's nodes are stored (".fargate", ".fargate-spot").</summary>
    public static string Of(string provider) => provider switch
    {
        Fargate => ".fargate",
        FargateSpot => ".fargate-spot",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a Fargate capacity provider"),
    };

    public static bool IsPool(string cluster) => cluster is ".fargate" or ".fargate-spot";

    /// <summary>Whether a capacity provider is one every account has (FARGATE, FARGATE_SPOT): never created, updated
    /// or deleted, only associated with clusters.</summary>
    public static bool IsProvider(string? name) => name is Fargate or FargateSpot;

    /// <summary>The launch type of a task a provider runs: FARGATE for the Fargate providers, EC2 for node groups.</summary>
    public static string LaunchTypeOf(string provider) => IsProvider(provider) ? "FARGATE" : "EC2";

    /// <summary>The capacity named on the command line (fargate, fargate-spot, FARGATE, FARGATE_SPOT) as its provider name.</summary>
    public static string? Parse(string? capacity) => capacity?.ToUpperInvariant().Replace('-', '_') switch
    {
        null or "" => null,
        Fargate => Fargate,
        FargateSpot => FargateSpot,
        _ => throw new ArgumentException($"capacity '{capacity}' is not fargate or fargate-spot", nameof(capacity)),
    };
}
