using System.Collections.Concurrent;
using Gantry.Agent.Logs.Shipping;
using Gantry.Agent.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gantry.Agent.Connection;

/// <summary>
/// Ships logs to the control plane over its gRPC listener (one HTTP/2 connection, multiplexed), authenticated with
/// this node's credentials; the control plane accepts only the streams of this node's own tasks. Logs go to the replica
/// the control stream uses now (one channel per replica, opened when first used).
/// </summary>
public sealed class ControlPlaneLogs(ControlPlaneServers servers, NodeJoiner node) : ILogDestination, IDisposable
{
    private readonly ConcurrentDictionary<ControlPlaneServer, Lazy<GrpcChannel>> _channels = new();

    public Task<long> OpenAsync(LogStreamRef stream, CancellationToken ct) =>
        CallAsync(async (client, headers) => (await client.OpenLogStreamAsync(stream, headers, cancellationToken: ct).ConfigureAwait(false)).Position, ct);

    public Task<long> ShipAsync(LogBatch batch, CancellationToken ct) =>
        CallAsync(async (client, headers) => (await client.ShipLogsAsync(batch, headers, cancellationToken: ct).ConfigureAwait(false)).Position, ct);

    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }
    }

    private async Task<long> CallAsync(Func<AgentControl.AgentControlClient, Metadata, Task<long>> call, CancellationToken ct)
    {
        var credentials = await node.GetAsync(ct).ConfigureAwait(false);
        try
        {
            var channel = _channels.GetOrAdd(servers.Current, server => new Lazy<GrpcChannel>(server.OpenChannel)).Value;
            return await call(new AgentControl.AgentControlClient(channel), new Metadata { { "authorization", credentials.Authorization } }).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new LogGroupMissingException(e.Status.Detail);
        }
    }
}
