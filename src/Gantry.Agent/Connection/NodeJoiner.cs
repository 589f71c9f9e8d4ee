using Gantry.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Connection;

/// <summary>
/// This node's credentials for every call to the control plane: the stored ones, or — on first start — those the
/// control plane answers to a Join with the operator's join token (then stored). Shared by the control stream and
/// log shipping.
/// </summary>
public sealed partial class NodeJoiner(AgentSettings settings, ControlPlaneServers servers, ILogger<NodeJoiner> logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private NodeCredentials? _credentials;

    /// <summary>Why this agent cannot authenticate at all (no stored credentials and no join token), or null.</summary>
    public static string? WhyNot(string stateDirectory, string? joinToken) =>
        joinToken is null && !File.Exists(NodeCredentials.PathIn(stateDirectory))
            ? $"no node credentials in {NodeCredentials.PathIn(stateDirectory)} and no join token: create one on the control plane with "
                + "`gantry node token create --cluster NAME` (or --capacity fargate) and pass it with --join-token (or GANTRY_JOIN_TOKEN)"
            : null;

    public async Task<NodeCredentials> GetAsync(CancellationToken ct)
    {
        if (_credentials is { } known)
        {
            return known;
        }
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _credentials ??= NodeCredentials.Load(settings.StateDirectory) ?? await JoinAsync(ct).ConfigureAwait(false);
            if (settings.Cluster is { } expected && expected != _credentials.Cluster)
            {
                throw new InvalidOperationException(
                    $"this node joined cluster '{_credentials.Cluster}' ({NodeCredentials.PathIn(settings.StateDirectory)}), not '{expected}' as --cluster says");
            }
            if (settings.Capacity is { } pool && pool != _credentials.Capacity)
            {
                throw new InvalidOperationException(
                    $"this node joined {Serves(_credentials)} ({NodeCredentials.PathIn(settings.StateDirectory)}), not the {pool} pool as --capacity says: "
                    + "its join token decides (`gantry node token create --capacity`)");
            }
            return _credentials;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<NodeCredentials> JoinAsync(CancellationToken ct)
    {
        var token = settings.JoinToken ?? throw new InvalidOperationException(WhyNot(settings.StateDirectory, null));
        using var channel = servers.Current.OpenChannel();
        var instanceId = NodeIdentity.InstanceId(settings.StateDirectory);
        var joined = await new AgentControl.AgentControlClient(channel).JoinAsync(new JoinRequest { JoinToken = token, InstanceId = instanceId }, cancellationToken: ct)
            .ConfigureAwait(false);
        var credentials = new NodeCredentials(joined.NodeId, joined.NodeSecret, joined.Cluster, joined.Capacity.Length == 0 ? null : joined.Capacity);
        credentials.Save(settings.StateDirectory);
        var serves = Serves(credentials);
        LogJoined(logger, credentials.NodeId, serves, instanceId);
        return credentials;
    }

    /// <summary>What a node serves, in words: "cluster 'default'", "the FARGATE pool", or both.</summary>
    public static string Serves(NodeCredentials credentials) => string.Join(" and ", new[]
    {
        credentials.Cluster.Length > 0 ? $"cluster '{credentials.Cluster}'" : null,
        credentials.Capacity is { } pool ? $"the {pool} pool" : null,
    }.OfType<string>());

    public void Dispose() => _lock.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined {Serves} as node {NodeId} (instance {InstanceId}); credentials stored")]
    private static partial void LogJoined(ILogger logger, string nodeId, string serves, string instanceId);
}
