using Gantry.Agent.Protocol;
using Gantry.Api.Ecs;
using Gantry.Api.Logs;
using Gantry.Auth.Tokens;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gantry.Api.Agents;

/// <summary>
/// The control plane's end of the agent stream. The agent authenticates with a registry token
/// (<c>authorization: Bearer &lt;password from GetAuthorizationToken&gt;</c>), registers first, then
/// heartbeats; the control plane answers with its container instance and later sends it work.
/// </summary>
public sealed partial class AgentControlService(ContainerInstanceRegistry registry, AgentSessions sessions, RegistryTokens tokens,
    AgentReconciler reconciler, LogShipping logs, TimeProvider time, ILogger<AgentControlService> logger) : AgentControl.AgentControlBase
{
    /// <summary>How often agents heartbeat; three missed beats mark an instance disconnected.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ControlMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        await AuthenticateAsync(context).ConfigureAwait(false);
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Register)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message must be Register"));
        }
        var register = requestStream.Current.Register;
        Domain.Ecs.ContainerInstance instance;
        try
        {
            instance = await registry.RegisterAsync(new NodeRegistration(register.Cluster, register.InstanceId, register.CpuUnits, register.MemoryMib,
                [.. register.ReservedPorts], [.. register.Attributes.Select(a => new KeyValuePair<string, string>(a.Name, a.Value))],
                register.AgentVersion, register.AgentHash), ct).ConfigureAwait(false);
        }
        catch (AwsException e)
        {
            await responseStream.WriteAsync(new ControlMessage { Refused = new Refused { Reason = $"{e.Type}: {e.Message}" } }, ct).ConfigureAwait(false);
            return;
        }
        var arn = instance.ContainerInstanceArn!;
        var session = new AgentSession(register.Cluster, EcsArns.ContainerInstanceId(arn), arn, time.GetUtcNow());
        sessions.Open(session);
        LogConnected(logger, arn, register.InstanceId);
        await responseStream.WriteAsync(new ControlMessage
        {
            Registered = new Registered { ContainerInstanceArn = arn, HeartbeatSeconds = (int)HeartbeatInterval.TotalSeconds },
        }, ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = PumpAsync(session, responseStream, stop.Token);
        try
        {
            await reconciler.ReconcileAsync(register.Cluster, session.InstanceId, arn, [.. register.Tasks], ct).ConfigureAwait(false);
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                if (requestStream.Current.BodyCase == AgentMessage.BodyOneofCase.TaskState)
                {
                    try
                    {
                        await reconciler.ApplyAsync(arn, requestStream.Current.TaskState, ct).ConfigureAwait(false);
                    }
                    catch (Gantry.Store.ConcurrencyConflictException e)
                    {
                        // Not recorded: the agent keeps the task and reports it again on its next registration.
                        LogReportNotApplied(logger, e, requestStream.Current.TaskState.TaskArn);
                    }
                }
                else if (requestStream.Current.BodyCase == AgentMessage.BodyOneofCase.Heartbeat)
                {
                    session.LastHeartbeat = time.GetUtcNow();
                    if (session.MarkedDisconnected)
                    {
                        session.MarkedDisconnected = false;
                        await registry.SetConnectedAsync(session.Cluster, session.InstanceId, true, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
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
            await registry.SetConnectedAsync(session.Cluster, session.InstanceId, false, CancellationToken.None).ConfigureAwait(false);
            LogDisconnected(logger, arn);
        }
    }

    public override async Task<LogStreamPosition> OpenLogStream(LogStreamRef request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthenticateAsync(context).ConfigureAwait(false);
        return await logs.OpenAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<LogStreamPosition> ShipLogs(LogBatch request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthenticateAsync(context).ConfigureAwait(false);
        return await logs.ShipAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(ServerCallContext context)
    {
        var bearer = context.RequestHeaders.GetValue("authorization") ?? "";
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal)
            || await tokens.ValidateAsync(RegistryTokens.User, bearer["Bearer ".Length..], context.CancellationToken).ConfigureAwait(false) is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid token from GetAuthorizationToken is required (authorization: Bearer ...)"));
        }
    }

    /// <summary>Marks instances whose agents stopped heartbeating (the stream may still look open) as disconnected.</summary>
    public async Task MonitorHeartbeatsAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var session in sessions.All.Where(s => !s.MarkedDisconnected && time.GetUtcNow() - s.LastHeartbeat > 3 * HeartbeatInterval))
                {
                    session.MarkedDisconnected = true;
                    await registry.SetConnectedAsync(session.Cluster, session.InstanceId, false, ct).ConfigureAwait(false);
                    LogMissedHeartbeats(logger, session.ContainerInstanceArn);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task PumpAsync(AgentSession session, IServerStreamWriter<ControlMessage> stream, CancellationToken ct)
    {
        try
        {
            await foreach (var message in session.Outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await stream.WriteAsync(message, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report of {TaskArn} could not be stored; it will be reported again")]
    private static partial void LogReportNotApplied(ILogger logger, Exception exception, string taskArn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {InstanceId} connected as {Arn}")]
    private static partial void LogConnected(ILogger logger, string arn, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent of {Arn} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string arn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent of {Arn} missed its heartbeats: marked disconnected")]
    private static partial void LogMissedHeartbeats(ILogger logger, string arn);
}
