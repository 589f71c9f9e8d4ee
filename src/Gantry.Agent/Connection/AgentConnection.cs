using System.Text.Json;
using Gantry.Agent.Engine;
using Gantry.Agent.Protocol;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Connection;

/// <summary>
/// The agent's end of the control stream: dials out, authenticates with this node's credentials (joining first with
/// the operator's token when it has none), registers with everything it runs, heartbeats, reports every task change,
/// and runs/stops the tasks the control plane sends (with the registry credentials each RunTask carries). Given several
/// replicas it dials the next one (round the list) whenever the stream is lost or cannot be opened: at once after a
/// stream that had registered, with backoff (250 ms doubling to 10 s) while none answers. Each new stream registers
/// again with everything the node runs, so the replica reconciles as after any reconnect.
/// </summary>
public sealed partial class AgentConnection(AgentSettings settings, ControlPlaneServers servers, NodeJoiner node, TaskEngine engine,
    Networking.RemoteTaskRoutes routes, TimeProvider time, ILogger<AgentConnection> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Set once registered: this node's container instance ARN.</summary>
    public string? ContainerInstanceArn { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = FirstBackoff;
        while (!ct.IsCancellationRequested)
        {
            var server = servers.Current;
            var registered = false;
            try
            {
                await ConnectOnceAsync(server, () => registered = true, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.AlreadyExists)
            {
                LogRefused(logger, e.Status.Detail, NodeCredentials.PathIn(settings.StateDirectory), backoff.TotalSeconds);
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or InvalidOperationException or JsonException
                or OperationCanceledException)
            {
                // A cancellation that is not ours is the call's: the control plane cancelled or reset the stream.
                LogDisconnected(logger, server.AgentEndpoint, e.Message);
            }
            if (servers.All.Count > 1)
            {
                LogFailingOver(logger, servers.MoveOn(server).AgentEndpoint);
            }
            if (registered)
            {
                // The stream had been up: dial (the next replica) soon, and back off only if that fails too.
                backoff = FirstBackoff;
            }
            try
            {
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = registered ? backoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    private async Task ConnectOnceAsync(ControlPlaneServer server, Action registered, CancellationToken ct)
    {
        var credentials = await node.GetAsync(ct).ConfigureAwait(false);
        using var channel = server.OpenChannel();
        using var call = new AgentControl.AgentControlClient(channel).Connect(new Metadata { { "authorization", credentials.Authorization } }, cancellationToken: ct);
        var writeLock = new SemaphoreSlim(1, 1);
        async Task SendAsync(AgentMessage message)
        {
            await writeLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await call.RequestStream.WriteAsync(message, ct).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        // Changes are followed from before Register lists the tasks, and held until the control plane answers, so a
        // task that turns RUNNING meanwhile is reported after the listing instead of never (statuses only move forward).
        var held = new System.Collections.Concurrent.ConcurrentQueue<AgentTask>();
        var live = false;
        Task Report(AgentTask task)
        {
            if (!Volatile.Read(ref live))
            {
                held.Enqueue(task);
                return Task.CompletedTask;
            }
            return SendAsync(new AgentMessage { TaskState = TaskStates.From(task) });
        }
        engine.TaskChanged += Report;
        try
        {
            var heartbeatSeconds = await RegisterAsync(call, SendAsync, credentials, server, registered, ct).ConfigureAwait(false);
            Volatile.Write(ref live, true);
            while (held.TryDequeue(out var change))
            {
                await SendAsync(new AgentMessage { TaskState = TaskStates.From(change) }).ConfigureAwait(false);
            }
            await ServeAsync(call, SendAsync, server, heartbeatSeconds, ct).ConfigureAwait(false);
        }
        finally
        {
            engine.TaskChanged -= Report;
            writeLock.Dispose();
        }
    }

    /// <summary>Sends Register with the node's facts and tasks; returns the heartbeat interval once the control plane accepted it.</summary>
    private async Task<int> RegisterAsync(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call, Func<AgentMessage, Task> send,
        NodeCredentials credentials, ControlPlaneServer server, Action registered, CancellationToken ct)
    {
        var register = new Register
        {
            Cluster = credentials.Cluster,
            Capacity = credentials.Capacity ?? "",
            InstanceId = NodeIdentity.InstanceId(settings.StateDirectory),
            CpuUnits = NodeIdentity.CpuUnits,
            MemoryMib = NodeIdentity.MemoryMib(settings.MemoryReserveMib),
            ReservedPorts = { NodeIdentity.PortsInUse() },
            AgentVersion = NodeIdentity.AgentVersion,
            PublishAddress = settings.PublishAddress.ToString(),
        };
        register.Attributes.AddRange(NodeIdentity.Attributes(settings.AvailabilityZone, settings.CustomAttributes)
            .Select(a => new Protocol.Attribute { Name = a.Key, Value = a.Value }));
        register.Tasks.AddRange(engine.Tasks.Select(TaskStates.From));
        await send(new AgentMessage { Register = register }).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the control plane closed the stream before answering Register");
        }
        var first = call.ResponseStream.Current;
        if (first.BodyCase == ControlMessage.BodyOneofCase.Refused)
        {
            throw new InvalidOperationException($"registration refused: {first.Refused.Reason}");
        }
        ContainerInstanceArn = first.Registered.ContainerInstanceArn;
        registered();
        LogRegistered(logger, ContainerInstanceArn, server.AgentEndpoint);
        return first.Registered.HeartbeatSeconds;
    }

    /// <summary>Runs what the control plane sends until the stream ends, with heartbeats beside it.</summary>
    private async Task ServeAsync(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call, Func<AgentMessage, Task> send, ControlPlaneServer server,
        int heartbeatSeconds, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeats = HeartbeatAsync(send, TimeSpan.FromSeconds(Math.Max(1, heartbeatSeconds)), stop.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                var message = call.ResponseStream.Current;
                switch (message.BodyCase)
                {
                    case ControlMessage.BodyOneofCase.RunTask:
                        var run = message.RunTask;
                        var definition = JsonSerializer.Deserialize<TaskDefinition>(run.TaskDefinitionJson, AwsJson.Options)!;
                        var overrides = string.IsNullOrEmpty(run.OverridesJson) ? null : JsonSerializer.Deserialize<TaskOverride>(run.OverridesJson, AwsJson.Options);
                        var registry = string.IsNullOrEmpty(run.RegistryPassword) ? null
                            : new RegistryCredentials(string.IsNullOrEmpty(run.RegistryHost) ? server.RegistryHost : run.RegistryHost, run.RegistryUser, run.RegistryPassword);
                        var launch = new TaskLaunch(string.IsNullOrEmpty(run.LaunchType) ? LaunchTypeValues.EC2 : run.LaunchType, run.EphemeralStorageGib,
                            string.IsNullOrEmpty(run.Cluster) ? null : run.Cluster, run.AssignPublicIp, run.Firewall is null ? null : FirewallOf(run.Firewall),
                            run.DnsSearch.Count == 0 ? null : [.. run.DnsSearch], InterfaceOf(run.Interface));
                        engine.Run(run.TaskArn, definition, overrides, registry, launch);
                        break;
                    case ControlMessage.BodyOneofCase.StopTask:
                        await engine.StopAsync(message.StopTask.TaskArn, message.StopTask.Reason, message.StopTask.StopCode).ConfigureAwait(false);
                        break;
                    case ControlMessage.BodyOneofCase.Firewall:
                        engine.UpdateFirewall(message.Firewall.TaskArn, FirewallOf(message.Firewall));
                        break;
                    case ControlMessage.BodyOneofCase.Routes:
                        _ = routes.UpdateAsync([.. message.Routes.Routes.Select(r => (r.Address, r.Via))]); // applied in the background
                        break;
                    case ControlMessage.BodyOneofCase.Recorded:
                        engine.Forget(message.Recorded.TaskArn);
                        break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeats.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Tells the control plane this Fargate Spot node is being reclaimed (its agent got SIGTERM): nothing is placed here
    /// again and it stops the node's tasks with SpotInterruption. Returns how many tasks it interrupted.
    /// </summary>
    public async Task<int> ReportReclaimAsync(CancellationToken ct)
    {
        var credentials = await node.GetAsync(ct).ConfigureAwait(false);
        using var channel = servers.Current.OpenChannel();
        var reclaimed = await new AgentControl.AgentControlClient(channel)
            .ReclaimAsync(new ReclaimRequest(), new Metadata { { "authorization", credentials.Authorization } }, cancellationToken: ct).ConfigureAwait(false);
        return reclaimed.TasksInterrupted;
    }

    /// <summary>
    /// Heartbeats, and with each one the final states the control plane has not confirmed yet (it answers Recorded),
    /// so a stopped task's end is delivered at least once even if a report was lost.
    /// </summary>
    private async Task HeartbeatAsync(Func<AgentMessage, Task> send, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            await send(new AgentMessage { Heartbeat = new Heartbeat { SentAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() } }).ConfigureAwait(false);
            foreach (var stopped in engine.Tasks.Where(t => t.LastStatus == TaskStatus.Stopped))
            {
                await send(new AgentMessage { TaskState = TaskStates.From(stopped) }).ConfigureAwait(false);
            }
        }
    }

    private static Networking.TaskFirewallPolicy FirewallOf(TaskFirewall firewall)
    {
        static List<Networking.FirewallRule> Rules(IEnumerable<FirewallRule> rules) =>
            [.. rules.Select(r => new Networking.FirewallRule(r.Protocol, r.FromPort, r.ToPort, [.. r.Cidrs]))];
        return new Networking.TaskFirewallPolicy(Rules(firewall.Ingress), Rules(firewall.Egress));
    }

    /// <summary>The interface the control plane allocated (null when unset or unreadable: the task then takes a bridge address).</summary>
    private static Networking.InterfaceAddress? InterfaceOf(TaskInterfaceAddress? eni) =>
        eni is null ? null : Networking.InterfaceAddress.TryCreate(eni.Address, eni.PrefixLength, eni.Gateway);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered as {Arn} with {Server}")]
    private static partial void LogRegistered(ILogger logger, string arn, Uri server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failing over to {Server}")]
    private static partial void LogFailingOver(ILogger logger, Uri server);

    [LoggerMessage(Level = LogLevel.Error, Message = "The control plane refused this node: {Reason}. A revoked node joins again only with new credentials: "
        + "remove {CredentialsPath} and start the agent with a new --join-token. Retrying in {Seconds} s")]
    private static partial void LogRefused(ILogger logger, string reason, string credentialsPath, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control stream with {Server} lost or refused: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, Uri server, string reason);
}
