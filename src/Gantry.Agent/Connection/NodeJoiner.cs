using Gantry.Agent.Protocol;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Connection;

/// <summary>
/// This node's credentials for every call to the control plane: the stored ones, or — on first start — those the
/// control plane answers to a Join with the operator's join token (then stored). Shared by the control stream and
/// log shipping.
/// </summary>
public sealed partial class NodeJoiner(AgentSettings settings, ILogger<NodeJoiner> logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private NodeCredentials? _credentials;

    /// <summary>Why this agent cannot authenticate at all (no stored credentials and no join token), or null.</summary>
    public static string? WhyNot(string stateDirectory, string? joinToken) =>
        joinToken is null && !File.Exists(NodeCredentials.PathIn(stateDirectory))
            ? $"no node credentials in {NodeCredentials.PathIn(stateDirectory)} and no join token: create one on the control plane with "
                + "`gantry node token create --cluster NAME` and pass it with --join-token (or GANTRY_JOIN_TOKEN)"
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
        using var channel = GrpcChannel.ForAddress(settings.AgentEndpoint);
        var instanceId = NodeIdentity.InstanceId(settings.StateDirectory);
        var joined = await new AgentControl.AgentControlClient(channel).JoinAsync(new JoinRequest { JoinToken = token, InstanceId = instanceId }, cancellationToken: ct)
            .ConfigureAwait(false);
        var credentials = new NodeCredentials(joined.NodeId, joined.NodeSecret, joined.Cluster);
        credentials.Save(settings.StateDirectory);
        LogJoined(logger, credentials.NodeId, credentials.Cluster, instanceId);
        return credentials;
    }

    public void Dispose() => _lock.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined cluster {Cluster} as node {NodeId} (instance {InstanceId}); credentials stored")]
    private static partial void LogJoined(ILogger logger, string nodeId, string cluster, string instanceId);
}
