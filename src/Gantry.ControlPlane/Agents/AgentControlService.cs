using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Logs;
using Gantry.ControlPlane.Nodes;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// The control plane's end of the agent stream. A node joins once with an operator's join token and from then on
/// authenticates every call with its own credentials (<c>authorization: GantryNode &lt;node id&gt;.&lt;secret&gt;</c>);
/// registry tokens and access keys are never accepted here. The node registers as the instance of the cluster it
/// joined, then heartbeats; the control plane answers with its container instance and later sends it work.
/// </summary>
public sealed partial class AgentControlService(ContainerInstanceRegistry registry, AgentSessions sessions, AgentLinks links, NodeDirectory nodes,
    AgentReconciler reconciler, LogShipping logs, AgentRegistryCredentials registryCredentials, SpotReclaimer reclaimer, InstanceAddresses addresses, TimeProvider time,
    ILogger<AgentControlService> logger)
    : AgentControl.AgentControlBase
{
    /// <summary>How often agents heartbeat; three missed beats mark an instance disconnected.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the agent listener lets an HTTP/2 connection be silent before it pings, and how long the ping may take:
    /// an agent cut off without a FIN (a partition, a node that lost power) has its stream ended within their sum, so
    /// its session is closed and nothing is queued for it into the void.
    /// </summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    /// <summary>Streams that ended while the store could not record it: their instances are marked disconnected later.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AgentSession, byte> _linksToClear = new();

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ControlMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var node = await AuthenticateAsync(context).ConfigureAwait(false);
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Register)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message must be Register"));
        }
        var register = requestStream.Current.Register;
        if (register.Cluster != node.Cluster || register.InstanceId != node.InstanceId || register.Capacity != (node.Capacity ?? ""))
        {
            LogImpersonation(logger, node.NodeId, register.Cluster, register.InstanceId);
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"node {node.NodeId} joined {Joined(node)} as instance {node.InstanceId}: it may not register as instance {register.InstanceId} of cluster '{register.Cluster}'"
                + (string.IsNullOrEmpty(register.Capacity) ? "" : $" with capacity {register.Capacity}")));
        }
        var memberships = new List<Membership>();
        try
        {
            foreach (var cluster in node.Registrations)
            {
                var instance = await registry.RegisterAsync(new NodeRegistration(cluster, node.InstanceId, register.CpuUnits, register.MemoryMib,
                    [.. register.ReservedPorts], [.. register.Attributes.Select(a => new KeyValuePair<string, string>(a.Name, a.Value))],
                    register.AgentVersion, register.AgentHash, node.ReclaimedAt is not null), context.CancellationToken).ConfigureAwait(false);
                memberships.Add(new Membership(cluster, EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!), instance.ContainerInstanceArn!));
            }
        }
        catch (AwsException e)
        {
            await responseStream.WriteAsync(new ControlMessage { Refused = new Refused { Reason = $"{e.Type}: {e.Message}" } }, context.CancellationToken).ConfigureAwait(false);
            return;
        }
        // Where load balancers reach the node's published ports (instance targets).
        await addresses.RecordAsync(node.InstanceId, register.PublishAddress, context.Peer, context.CancellationToken).ConfigureAwait(false);
        var session = new AgentSession(node.NodeId, memberships, time.GetUtcNow());
        var arn = session.PrimaryArn;
        sessions.Open(session);
        // Revoking the node ends this stream at once.
        using var revocable = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, session.Revoked);
        var ct = revocable.Token;
        LogConnected(logger, arn, register.InstanceId);
        await responseStream.WriteAsync(new ControlMessage
        {
            Registered = new Registered { ContainerInstanceArn = arn, HeartbeatSeconds = (int)HeartbeatInterval.TotalSeconds },
        }, ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = PumpAsync(session, responseStream, stop.Token);
        try
        {
            // This replica holds the agent now: only it marks the instance disconnected later (AgentLinks).
            await SetConnectedAsync(session, true, ct).ConfigureAwait(false);
            await reconciler.ReconcileAsync(memberships, [.. register.Tasks], ct).ConfigureAwait(false);
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                if (requestStream.Current.BodyCase == AgentMessage.BodyOneofCase.TaskState)
                {
                    await ApplyReportAsync(session, requestStream.Current.TaskState, ct).ConfigureAwait(false);
                }
                else if (requestStream.Current.BodyCase == AgentMessage.BodyOneofCase.Heartbeat)
                {
                    session.LastHeartbeat = time.GetUtcNow();
                    foreach (var unapplied in session.Unapplied.Values)
                    {
                        await ApplyReportAsync(session, unapplied, ct).ConfigureAwait(false);
                    }
                    if (session.MarkedDisconnected)
                    {
                        session.MarkedDisconnected = false;
                        await SetConnectedAsync(session, true, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && session.Revoked.IsCancellationRequested)
        {
            LogRevokedStream(logger, node.NodeId, arn);
            throw NodeDirectory.RevokedError(node.NodeId);
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // The agent went away mid-message.
        }
        finally
        {
            sessions.Close(session);
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            try
            {
                await SetConnectedAsync(session, false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Gantry.Store.StoreUnavailableException e)
            {
                // The stream broke because the store did (or broke while it was down): the failure that ended the stream
                // is the one to report; the heartbeat monitor marks the instance disconnected once the store is back.
                _linksToClear.TryAdd(session, 0);
                LogLinkNotCleared(logger, arn, e.Reason);
            }
            LogDisconnected(logger, arn);
        }
    }

    /// <summary>Trades an operator's join token for this node's own credentials (the only call without them).</summary>
    public override async Task<JoinResponse> Join(JoinRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var (node, secret) = await nodes.JoinAsync(request.JoinToken, request.InstanceId, context.CancellationToken).ConfigureAwait(false);
            var joined = Joined(node);
            LogJoined(logger, node.NodeId, joined, node.InstanceId, node.TokenId);
            return new JoinResponse { NodeId = node.NodeId, NodeSecret = secret, Cluster = node.Cluster, Capacity = node.Capacity ?? "" };
        }
        catch (RpcException e)
        {
            LogRefused(logger, context.Peer, e.Status.Detail);
            throw;
        }
    }

    public override async Task<LogStreamPosition> OpenLogStream(LogStreamRef request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var node = await AuthenticateAsync(context).ConfigureAwait(false);
        return await logs.OpenAsync(node, request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<LogStreamPosition> ShipLogs(LogBatch request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var node = await AuthenticateAsync(context).ConfigureAwait(false);
        return await logs.ShipAsync(node, request, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A FARGATE_SPOT node's agent got SIGTERM: the node is reclaimed as `gantry node reclaim` would (nothing placed
    /// there again, its tasks stopped with SpotInterruption). A node reclaims only itself; any other node is refused.
    /// </summary>
    public override async Task<ReclaimResponse> Reclaim(ReclaimRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var node = await AuthenticateAsync(context).ConfigureAwait(false);
        try
        {
            var reclaimed = await reclaimer.ReclaimAsync(node.NodeId, context.CancellationToken).ConfigureAwait(false);
            LogReclaimed(logger, node.NodeId, node.InstanceId, reclaimed.InterruptedTaskArns.Count);
            return new ReclaimResponse { TasksInterrupted = reclaimed.InterruptedTaskArns.Count, WarningSeconds = (int)SpotInterruption.Warning.TotalSeconds };
        }
        catch (AwsException e)
        {
            LogRefused(logger, context.Peer, e.Message);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    /// <summary>The node whose credentials the call carries; anything else (a registry token, a revoked node) is refused.</summary>
    private async Task<NodeRecord> AuthenticateAsync(ServerCallContext context)
    {
        try
        {
            if (NodeSecrets.ParseAuthorization(context.RequestHeaders.GetValue("authorization")) is not var (nodeId, secret))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated,
                    $"node credentials are required (authorization: {NodeSecrets.AuthorizationScheme} <node id>.<secret>, from joining with `gantry agent --join-token`)"));
            }
            return await nodes.AuthenticateAsync(nodeId, secret, context.CancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogRefused(logger, context.Peer, e.Status.Detail);
            throw;
        }
    }

    /// <summary>Marks instances whose agents stopped heartbeating (the stream may still look open) as disconnected, and
    /// those whose stream ended while the store was unavailable; what the store refuses is tried again at the next tick.</summary>
    public async Task MonitorHeartbeatsAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    foreach (var session in sessions.All.Where(s => !s.MarkedDisconnected && time.GetUtcNow() - s.LastHeartbeat > 3 * HeartbeatInterval))
                    {
                        session.MarkedDisconnected = true;
                        try
                        {
                            await SetConnectedAsync(session, false, ct).ConfigureAwait(false);
                        }
                        catch (Gantry.Store.StoreUnavailableException)
                        {
                            session.MarkedDisconnected = false;
                            throw;
                        }
                        LogMissedHeartbeats(logger, session.PrimaryArn);
                    }
                    foreach (var session in _linksToClear.Keys)
                    {
                        await SetConnectedAsync(session, false, ct).ConfigureAwait(false);
                        _linksToClear.TryRemove(session, out _);
                    }
                }
                catch (Gantry.Store.StoreUnavailableException e)
                {
                    LogMonitorDeferred(logger, e.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static string Joined(NodeRecord node) =>
        string.Join(" and ", node.Registrations.Select(c => FargatePool.IsPool(c) ? $"the {node.Capacity} pool" : $"cluster '{c}'"));

    private async Task SetConnectedAsync(AgentSession session, bool connected, CancellationToken ct)
    {
        // A newer stream of the same agent on this replica (a quick reconnect, even one opening while this writes) keeps it connected.
        foreach (var membership in session.Memberships)
        {
            await (connected
                ? links.SetAsync(membership, true, ct)
                : links.DisconnectAsync(membership, () => !sessions.HasOther(membership.Arn, session), ct)).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(AgentSession session, IServerStreamWriter<ControlMessage> stream, CancellationToken ct)
    {
        try
        {
            await foreach (var message in session.Outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (message.BodyCase == ControlMessage.BodyOneofCase.RunTask)
                {
                    (message.RunTask.RegistryUser, message.RunTask.RegistryPassword) = await registryCredentials.IssueAsync(ct).ConfigureAwait(false);
                }
                await stream.WriteAsync(message, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} joined {Joined} as instance {InstanceId} (join token {TokenId})")]
    private static partial void LogJoined(ILogger logger, string nodeId, string joined, string instanceId, string tokenId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent call from {Peer} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} tried to register as instance {InstanceId} of cluster {Cluster}: refused")]
    private static partial void LogImpersonation(ILogger logger, string nodeId, string cluster, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} was revoked: its stream as {Arn} is closed")]
    private static partial void LogRevokedStream(ILogger logger, string nodeId, string arn);

    /// <summary>
    /// Stores an agent's report. One whose task kept conflicting (its instance hot with a burst) is kept and applied again
    /// with the agent's next heartbeat, since an agent reports a task's non-final states only once.
    /// </summary>
    private async Task ApplyReportAsync(AgentSession session, TaskState report, CancellationToken ct)
    {
        try
        {
            await reconciler.ApplyAsync(session.Arns, report, ct).ConfigureAwait(false);
            session.Unapplied.TryRemove(new KeyValuePair<string, TaskState>(report.TaskArn, report));
        }
        catch (Gantry.Store.ConcurrencyConflictException e)
        {
            session.Unapplied.AddOrUpdate(report.TaskArn, report, (_, known) => TaskStatus.Max(known.LastStatus, report.LastStatus) == report.LastStatus ? report : known);
            LogReportNotApplied(logger, e, report.TaskArn);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report of {TaskArn} could not be stored; it is applied again with the agent's next heartbeat")]
    private static partial void LogReportNotApplied(ILogger logger, Exception exception, string taskArn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot node {NodeId} ({InstanceId}) is being reclaimed: {Count} tasks interrupted")]
    private static partial void LogReclaimed(ILogger logger, string nodeId, string instanceId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {InstanceId} connected as {Arn}")]
    private static partial void LogConnected(ILogger logger, string arn, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent of {Arn} disconnected while the state store was unavailable; marked disconnected once it is back ({Reason})")]
    private static partial void LogLinkNotCleared(ILogger logger, string arn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking instances disconnected waits for the state store ({Reason})")]
    private static partial void LogMonitorDeferred(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Arn} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string arn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent of {Arn} missed its heartbeats: marked disconnected")]
    private static partial void LogMissedHeartbeats(ILogger logger, string arn);
}
