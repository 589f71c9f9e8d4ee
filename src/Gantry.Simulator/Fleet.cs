using System.Net.Http;
using Gantry.Agent.Protocol;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace Gantry.Simulator;

/// <summary>
/// N simulated nodes in one process, each on its own agent stream. Nodes are grouped by
/// <see cref="SimulatorSettings.StreamsPerConnection"/> onto one gRPC channel each, so their streams share one HTTP/2
/// connection (the handler opens another only when the server's concurrent stream limit is reached): 5,000 nodes
/// take 50 sockets, per replica given (a channel dials only when a node first uses it). Runs until cancelled; a join refused for good stops every node and is thrown.
/// </summary>
public sealed partial class Fleet(SimulatorSettings settings, TimeProvider time, ILoggerFactory logging)
{
    public FleetStatus Status { get; } = new(settings.Nodes);

    /// <summary>How many HTTP/2 connections (gRPC channels) the fleet dials to each replica.</summary>
    public int Connections => (settings.Nodes + settings.StreamsPerConnection - 1) / settings.StreamsPerConnection;

    public async Task RunAsync(CancellationToken ct)
    {
        var logger = logging.CreateLogger<Fleet>();
        var run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var channels = settings.AgentEndpoints.Select(e => Enumerable.Range(0, Connections).Select(_ => Channel(e)).ToList()).ToList();
        using var connectGate = new SemaphoreSlim(settings.ConnectParallelism);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        LogStarting(logger, settings.Nodes, settings.Cluster, settings.AgentEndpoints, Connections, run);
        var nodeLogger = logging.CreateLogger<SimulatedNode>();
        async Task RunNodeAsync(SimulatedNode node)
        {
            try
            {
                await node.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (JoinRefusedException)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // A node never stops on its own: one that does is a bug to see at once, not a quiet gap in the fleet.
                LogNodeFailed(logger, e, node.Profile.InstanceId);
                throw;
            }
        }

        try
        {
            var clients = channels.Select(perReplica => perReplica.Select(c => new AgentControl.AgentControlClient(c)).ToList()).ToList();
            await Task.WhenAll(Enumerable.Range(0, settings.Nodes).Select(i => Task.Run(() => RunNodeAsync(
                new SimulatedNode(settings, NodeProfile.For(settings, run, i), [.. clients.Select(c => c[i / settings.StreamsPerConnection])],
                    i % clients.Count, connectGate, Status, time, nodeLogger)),
                CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var channel in channels.SelectMany(c => c))
            {
                channel.Dispose();
            }
        }
    }

    private static GrpcChannel Channel(Uri endpoint) => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        },
        DisposeHttpClient = true,
        ThrowOperationCanceledOnCancellation = true,
    });

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulated node {InstanceId} stopped")]
    private static partial void LogNodeFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Nodes} nodes of cluster {Cluster} against {Endpoints} over {Connections} HTTP/2 connections per replica (run {Run})")]
    private static partial void LogStarting(ILogger logger, int nodes, string cluster, IReadOnlyList<Uri> endpoints, int connections, string run);
}
