namespace Gantry.Api.Front;

/// <summary>Limits of the JSON front door.</summary>
public static class AwsJsonLimits
{
    /// <summary>Largest accepted request body. ECS caps a task definition at 64 KiB; Logs batches reach 1 MiB.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;
}
