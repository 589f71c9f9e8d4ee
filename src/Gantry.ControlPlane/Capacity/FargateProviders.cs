namespace Gantry.ControlPlane.Capacity;

/// <summary>The capacity providers every account has: FARGATE and FARGATE_SPOT. They cannot be created, updated or
/// deleted, only associated with clusters; tasks they run have launch type FARGATE.</summary>
public static class FargateProviders
{
    public const string Fargate = "FARGATE";
    public const string FargateSpot = "FARGATE_SPOT";

    public static IReadOnlyList<string> All { get; } = [Fargate, FargateSpot];

    public static bool Contains(string? provider) => provider is Fargate or FargateSpot;

    /// <summary>The launch type of a task a provider runs: FARGATE for the Fargate providers, EC2 for node groups.</summary>
    public static string LaunchTypeOf(string provider) => Contains(provider) ? "FARGATE" : "EC2";
}
