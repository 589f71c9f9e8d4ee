using System.Collections.Concurrent;
using Gantry.Agent.Protocol;
using Gantry.Api.Tests.Agents;
using Grpc.Core;

namespace Gantry.Api.Tests.Fargate;

/// <summary>
/// A node on the real agent stream that does what it is told at once: each RunTask is reported RUNNING, each StopTask
/// STOPPED with the stop code it came with. What it was told is kept for the test to look at.
/// </summary>
public sealed class ScriptedAgent : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<AgentMessage, ControlMessage> _call;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Task _loop;
    private bool _ownsNode = true;

    private ScriptedAgent(TestNode node, AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call)
    {
        Node = node;
        _call = call;
        _loop = Task.Run(LoopAsync);
    }

    public TestNode Node { get; }

    /// <summary>The tasks the control plane sent to run here.</summary>
    public ConcurrentQueue<string> Runs { get; } = new();

    /// <summary>The StopTask messages received, by task ARN.</summary>
    public ConcurrentDictionary<string, StopTask> Stops { get; } = new(StringComparer.Ordinal);

    /// <summary>Joins (cluster "" and a Fargate <paramref name="capacity"/>: a pool node only) and registers.</summary>
    public static async Task<ScriptedAgent> StartAsync(ApiTestHost host, string cluster, string instanceId, string? capacity)
    {
        var node = await TestNode.JoinAsync(host, cluster, instanceId, capacity);
        var (call, _) = await node.RegisterAsync();
        return new ScriptedAgent(node, call);
    }

    /// <summary>The same node's agent coming back: this stream ends, a new one registers (and owns the node from then on).</summary>
    public async Task<ScriptedAgent> ReconnectAsync()
    {
        _ownsNode = false;
        await DisposeAsync();
        var (call, _) = await Node.RegisterAsync();
        return new ScriptedAgent(Node, call);
    }

    private async Task LoopAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var message = _call.ResponseStream.Current;
                if (message.BodyCase == ControlMessage.BodyOneofCase.RunTask)
                {
                    Runs.Enqueue(message.RunTask.TaskArn);
                    await ReportAsync(message.RunTask.TaskArn, "RUNNING", "");
                }
                else if (message.BodyCase == ControlMessage.BodyOneofCase.StopTask)
                {
                    Stops[message.StopTask.TaskArn] = message.StopTask;
                    await ReportAsync(message.StopTask.TaskArn, "STOPPED", message.StopTask.StopCode, message.StopTask.Reason);
                }
            }
        }
        catch (RpcException)
        {
            // The stream ended (disposed).
        }
    }

    private async Task ReportAsync(string taskArn, string status, string stopCode, string reason = "")
    {
        var state = new TaskState { TaskArn = taskArn, LastStatus = status, StopCode = stopCode, StoppedReason = reason };
        state.Containers.Add(new ContainerState { Name = "app", LastStatus = status, ExitCode = status == "STOPPED" ? 143 : 0 });
        if (status != "STOPPED")
        {
            state.Containers[0].ClearExitCode();
        }
        await _write.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(new AgentMessage { TaskState = state });
        }
        finally
        {
            _write.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        await _loop;
        _write.Dispose();
        if (_ownsNode)
        {
            Node.Dispose();
        }
    }
}
