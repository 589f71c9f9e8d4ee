using System.Threading.Channels;
using Gantry.Agent.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gantry.Simulator;

/// <summary>
/// One simulated node: joins with the fleet's token (once per run: no credentials are stored), opens its agent
/// stream, registers with its profile and the tasks it has, heartbeats at the interval the control plane answers, and
/// plays the agent's part for the tasks it is sent (see <see cref="NodeTasks"/>). When the stream breaks it dials
/// the next replica (one client per replica, starting at <paramref name="firstReplica"/>): at once after a stream that
/// had registered, with backoff while none answers, as Gantry.Agent's AgentConnection does; a join refused for good ends the fleet.
/// </summary>
public sealed partial class SimulatedNode(
    SimulatorSettings settings, NodeProfile profile, IReadOnlyList<AgentControl.AgentControlClient> replicas, int firstReplica, SemaphoreSlim connectGate,
    FleetStatus status, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(10);
    private Metadata? _credentials;
    private Channel<AgentMessage>? _outbox;
    private int _replica = firstReplica;
    private bool _registered;

    public NodeProfile Profile => profile;

    public NodeTasks Tasks { get; } = new(time);

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = FirstBackoff;
        while (!ct.IsCancellationRequested)
        {
            _registered = false;
            try
            {
                await ConnectOnceAsync(ct).ConfigureAwait(false);
                status.StreamBroke("the control plane ended the stream");
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException or IOException)
            {
                return;
            }
            catch (RpcException e) when (_credentials is null
                && e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.AlreadyExists)
            {
                throw new JoinRefusedException($"the control plane refused node {profile.InstanceId}: {e.Status.Detail}", e);
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // A cancellation that is not ours is the call's (the control plane cancelled or reset the stream): as the agent does, dial again.
                var reason = e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : $"{e.GetType().Name}: {e.Message}";
                status.StreamBroke(reason);
                LogDisconnected(logger, profile.InstanceId, reason, backoff.TotalSeconds);
            }
            _replica = (_replica + 1) % replicas.Count;
            if (_registered)
            {
                // The stream had been up: dial (the next replica) soon, and back off only if that fails too.
                backoff = FirstBackoff;
            }
            try
            {
                // Jittered, so a fleet cut off at once does not come back in one wave.
                await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = _registered ? backoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    private async Task ConnectOnceAsync(CancellationToken ct)
    {
        // The outbox is in place before Register is built from the task table: a change after that (a task turning RUNNING
        // while the node registers) is queued and sent after Register, none falls between the two and is lost.
        var outbox = Channel.CreateUnbounded<AgentMessage>(new UnboundedChannelOptions { SingleReader = true });
        Volatile.Write(ref _outbox, outbox);
        try
        {
            await StreamAsync(outbox, ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _outbox, null, outbox);
            outbox.Writer.TryComplete();
        }
    }

    private async Task StreamAsync(Channel<AgentMessage> outbox, CancellationToken ct)
    {
        var (call, registered) = await OpenAsync(ct).ConfigureAwait(false);
        using var _ = call;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? writeFailure = null;
        async Task WriteAsync()
        {
            try
            {
                await foreach (var message in outbox.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    await call.RequestStream.WriteAsync(message, stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
            {
                writeFailure = e;
                await stop.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var writer = WriteAsync();
        var heartbeats = HeartbeatAsync(outbox.Writer, TimeSpan.FromSeconds(Math.Max(1, registered.HeartbeatSeconds)), stop.Token);
        status.StreamOpened();
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token).ConfigureAwait(false))
            {
                Handle(call.ResponseStream.Current, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && !ct.IsCancellationRequested && writeFailure is not null)
        {
            throw new IOException($"the stream broke while sending: {writeFailure.Message}", writeFailure);
        }
        finally
        {
            status.StreamClosed();
            outbox.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            try
            {
                await heartbeats.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Joins when needed, opens the stream and registers; at most the settings' parallelism of nodes do this at once.</summary>
    private async Task<(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> Call, Registered Registered)> OpenAsync(CancellationToken ct)
    {
        await connectGate.WaitAsync(ct).ConfigureAwait(false);
        var client = replicas[_replica];
        AsyncDuplexStreamingCall<AgentMessage, ControlMessage>? call = null;
        try
        {
            _credentials ??= await JoinAsync(client, ct).ConfigureAwait(false);
            call = client.Connect(_credentials, cancellationToken: ct);
            var register = profile.Registration(settings, Tasks.All().Select(t => t.ToState()));
            await call.RequestStream.WriteAsync(new AgentMessage { Register = register }, ct).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                throw new InvalidOperationException("the control plane closed the stream before answering Register");
            }
            var first = call.ResponseStream.Current;
            if (first.BodyCase != ControlMessage.BodyOneofCase.Registered)
            {
                throw new InvalidOperationException($"registration refused: {first.Refused?.Reason}");
            }
            _registered = true;
            return (call, first.Registered);
        }
        catch
        {
            call?.Dispose();
            throw;
        }
        finally
        {
            connectGate.Release();
        }
    }

    private async Task<Metadata> JoinAsync(AgentControl.AgentControlClient client, CancellationToken ct)
    {
        var joined = await client.JoinAsync(new JoinRequest { JoinToken = settings.JoinToken, InstanceId = profile.InstanceId }, cancellationToken: ct)
            .ConfigureAwait(false);
        if (joined.Cluster != settings.Cluster)
        {
            throw new JoinRefusedException($"the join token is for cluster '{joined.Cluster}', not '{settings.Cluster}'");
        }
        status.NodeJoined();
        return new Metadata { { "authorization", $"GantryNode {joined.NodeId}.{joined.NodeSecret}" } };
    }

    private void Handle(ControlMessage message, CancellationToken ct)
    {
        switch (message.BodyCase)
        {
            case ControlMessage.BodyOneofCase.RunTask:
                if (Tasks.Run(message.RunTask) is { } started)
                {
                    Report(started);
                    _ = RunLaterAsync(started.TaskArn, ct);
                }
                break;
            case ControlMessage.BodyOneofCase.StopTask:
                var stop = message.StopTask;
                if (Tasks.Stop(stop.TaskArn, stop.Reason, string.IsNullOrEmpty(stop.StopCode) ? "UserInitiated" : stop.StopCode) is { } stopped)
                {
                    status.TaskStopped(wasRunning: stopped.StartedAt is not null);
                    Report(stopped);
                }
                break;
            case ControlMessage.BodyOneofCase.Recorded:
                Tasks.Forget(message.Recorded.TaskArn);
                break;
        }
    }

    /// <summary>PENDING → RUNNING after the run delay, across reconnects (a stream that is down gets the state in the next Register).</summary>
    private async Task RunLaterAsync(string taskArn, CancellationToken ct)
    {
        try
        {
            if (settings.RunDelay > TimeSpan.Zero)
            {
                await Task.Delay(settings.RunDelay, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (Tasks.MarkRunning(taskArn) is { } running)
        {
            status.TaskRunning();
            Report(running);
        }
    }

    private void Report(SimulatedTask task) => Volatile.Read(ref _outbox)?.Writer.TryWrite(new AgentMessage { TaskState = task.ToState() });

    /// <summary>Heartbeats, and with each one the final states the control plane has not confirmed yet, as the real agent does.</summary>
    private async Task HeartbeatAsync(ChannelWriter<AgentMessage> outbox, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            outbox.TryWrite(new AgentMessage { Heartbeat = new Heartbeat { SentAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() } });
            foreach (var stopped in Tasks.Unrecorded())
            {
                outbox.TryWrite(new AgentMessage { TaskState = stopped.ToState() });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {InstanceId}: stream lost ({Reason}); dialling again (the next replica, if several) in about {Seconds} s")]
    private static partial void LogDisconnected(ILogger logger, string instanceId, string reason, double seconds);
}
