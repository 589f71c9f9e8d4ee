namespace Gantry.Agent.Connection;

/// <summary>How an agent reaches its control plane and what it offers.</summary>
/// <param name="ApiEndpoint">The control plane's AWS API endpoint (for GetAuthorizationToken).</param>
/// <param name="AgentEndpoint">The control plane's gRPC listener.</param>
/// <param name="StateDirectory">Where the agent keeps images, containers and task state.</param>
/// <param name="MemoryReserveMib">Memory kept back for the node itself, not offered to tasks.</param>
/// <param name="ImageCacheMaxBytes">When unpacked images take more than this, unused ones are removed (least recently used first).</param>
public sealed record AgentSettings(
    Uri ApiEndpoint,
    Uri AgentEndpoint,
    string Cluster,
    string AccessKeyId,
    string SecretAccessKey,
    string Region,
    string StateDirectory,
    string? AvailabilityZone,
    int MemoryReserveMib,
    IReadOnlyList<KeyValuePair<string, string>> CustomAttributes,
    long ImageCacheMaxBytes = 10L * 1024 * 1024 * 1024);
