using Gantry.Agent.Engine;
using Gantry.Agent.Tests.Engine.Fakes;
using Gantry.Agent.Tests.Images;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Agent.Tests.Engine;

/// <summary>
/// The task runner's transition table, without runc: for every (known, desired) status pair a task can be resumed in,
/// what the runner asks of its runtime, images and network, which statuses it reports and where it settles. The task has
/// two essential containers, <c>web</c> (host port 8080 → 80, bridge mode) and <c>sidecar</c>; each known status comes with
/// the containers as the runner persisted them on the way there (an agent restarted at that point).
/// </summary>
public sealed class TaskRunnerTransitionTests : IDisposable
{
    private const string Running = TaskStatus.Running;
    private const string Stopped = TaskStatus.Stopped;
    private const string TaskId = "0123456789abcdef0123456789abcdef";
    private const string StartAll = "network ensure, pull web, pull sidecar, mount web, publish 8080, start web, watch web, mount sidecar, start sidecar, watch sidecar";
    private const string AdoptBoth = "watch web, publish 8080, watch sidecar";
    private const string CleanUp = "destroy web, destroy sidecar, network remove";
    private const string StopBoth = "stop sidecar SIGTERM, stop web SIGTERM";
    private const string ShutdownReports = "DEACTIVATING STOPPING DEPROVISIONING STOPPED";

    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>known, desired ─► the node calls in order, the statuses reported (repeats folded), the status it settles in.</summary>
    public static TheoryData<string, string, string, string, string> Transitions => new()
    {
        // A task that should run: whatever is not started yet is pulled, created and started; what runs is watched, never pulled again.
        { "PROVISIONING", Running, $"exists web, exists sidecar, {StartAll}", "PROVISIONING PENDING ACTIVATING RUNNING", Running },
        { "PENDING", Running, $"exists web, exists sidecar, {StartAll}", "ACTIVATING RUNNING", Running },
        { "ACTIVATING", Running, "watch web, publish 8080, exists sidecar, network ensure, pull sidecar, mount sidecar, start sidecar, watch sidecar", "ACTIVATING RUNNING", Running },
        { "RUNNING", Running, $"{AdoptBoth}, network ensure", "RUNNING", Running },
        // Shutting down with no stop asked (every container was non-essential and had exited): statuses never go back.
        { "DEACTIVATING", Running, $"{AdoptBoth}, network ensure", "DEACTIVATING", "DEACTIVATING" },
        { "STOPPING", Running, $"{AdoptBoth}, network ensure", "STOPPING", "STOPPING" },
        { "DEPROVISIONING", Running, $"network ensure, {CleanUp}", "DEPROVISIONING STOPPED", Stopped },
        { "STOPPED", Running, "", "", Stopped },
        // A task that should stop: running containers get their stop signal (in reverse dependency order), then everything is removed.
        { "PROVISIONING", Stopped, $"exists web, exists sidecar, {CleanUp}", $"PROVISIONING {ShutdownReports}", Stopped },
        { "PENDING", Stopped, $"exists web, exists sidecar, {CleanUp}", ShutdownReports, Stopped },
        { "ACTIVATING", Stopped, $"watch web, publish 8080, exists sidecar, stop web SIGTERM, {CleanUp}", ShutdownReports, Stopped },
        { "RUNNING", Stopped, $"{AdoptBoth}, {StopBoth}, {CleanUp}", ShutdownReports, Stopped },
        { "DEACTIVATING", Stopped, $"{AdoptBoth}, {StopBoth}, {CleanUp}", "STOPPING DEPROVISIONING STOPPED", Stopped },
        { "STOPPING", Stopped, $"{AdoptBoth}, {StopBoth}, {CleanUp}", "STOPPING DEPROVISIONING STOPPED", Stopped },
        { "DEPROVISIONING", Stopped, CleanUp, "DEPROVISIONING STOPPED", Stopped },
        { "STOPPED", Stopped, "", "", Stopped },
    };

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_table_has_one_row_for_every_known_and_desired_status()
    {
        var rows = Transitions.Select(row => ((string)row[0], (string)row[1])).ToList();
        // An agent never holds a DELETED task: the control plane deletes records, not runners.
        var pairs = TaskStatus.Order.Where(s => s != TaskStatus.Deleted).SelectMany(known => new[] { (known, Running), (known, Stopped) }).ToList();

        Assert.Equal(pairs.Order(), rows.Order());
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task Runner_resumed_in_a_known_and_desired_status_does_what_the_table_says(string known, string desired, string calls, string reported, string settles)
    {
        var node = new NodeCalls();
        var reports = new List<string>();
        var services = new NodeServices(new FakeImagePuller(node, _root.Path), new FakeContainerRuntime(node, _root.Path, _time),
            new TaskStateFiles(_root.Path), new FakeTaskNetwork(node), "registry.test", _time, NullLogger.Instance);
        using var runner = new TaskRunner(TaskIn(known, desired), services, task =>
        {
            lock (reports)
            {
                reports.Add(task.LastStatus);
            }
            return Task.CompletedTask;
        });
        var expected = calls.Length == 0 ? [] : calls.Split(", ");
        using var agent = new CancellationTokenSource();

        var run = runner.RunAsync(agent.Token);
        if (settles != Stopped)
        {
            // It keeps watching its containers: once it has asked for everything, the agent shuts down (containers keep running).
            await WaitUntilAsync(() => node.All.Count >= expected.Length && runner.Current.LastStatus == settles || run.IsCompleted);
            await agent.CancelAsync();
        }
        try
        {
            await run.WaitAsync(TestTimeout.Token());
        }
        catch (OperationCanceledException) when (agent.IsCancellationRequested)
        {
        }

        Assert.Null(runner.Current.StoppedReason);
        Assert.Equal(expected, node.All);
        Assert.Equal(reported, string.Join(' ', Folded(reports)));
        Assert.Equal(settles, runner.Current.LastStatus);
        Assert.Equal(desired, runner.Current.DesiredStatus);
        if (settles == Stopped)
        {
            Assert.All(runner.Current.Containers, c => Assert.Equal("STOPPED", c.LastStatus));
        }
    }

    /// <summary>The task as a runner persisted it on its way to <paramref name="known"/>.</summary>
    private AgentTask TaskIn(string known, string desired)
    {
        var reached = TaskStatus.Order.ToList().IndexOf(known);
        bool Reached(string status) => reached >= TaskStatus.Order.ToList().IndexOf(status);
        var now = _time.GetUtcNow();
        AgentContainer Container(string name, bool created) => new(name, TaskEngine.RuntimeId(TaskId, name),
            !created ? "PENDING" : Reached(TaskStatus.Deprovisioning) ? "STOPPED" : "RUNNING",
            ExitCode: Reached(TaskStatus.Deprovisioning) ? 143 : null, Created: created, StartedAt: created ? now : null,
            Bindings: created && name == "web" ? [new PortBinding("127.0.0.1", 80, 8080, "tcp")] : null);
        return new AgentTask($"arn:aws:ecs:us-east-1:000000000000:task/test/{TaskId}", Definition, null, desired, known,
            [Container("web", Reached(TaskStatus.Activating)), Container("sidecar", Reached(TaskStatus.Running))], now,
            PullStartedAt: Reached(TaskStatus.Pending) ? now : null,
            PullStoppedAt: Reached(TaskStatus.Activating) ? now : null,
            StartedAt: Reached(TaskStatus.Running) ? now : null,
            PrivateIp: Reached(TaskStatus.Pending) ? FakeTaskNetwork.Address.ToString() : null);
    }

    private static TaskDefinition Definition => new()
    {
        Family = "table",
        NetworkMode = "bridge",
        Volumes = [],
        ContainerDefinitions =
        [
            new() { Name = "web", Image = "registry.test/web:1", Essential = true, Memory = 64, Command = ["sleep", "3600"], PortMappings = [new() { ContainerPort = 80, HostPort = 8080 }] },
            new() { Name = "sidecar", Image = "registry.test/sidecar:1", Essential = true, Memory = 64, Command = ["sleep", "3600"] },
        ],
    };

    private static List<string> Folded(List<string> reports)
    {
        lock (reports)
        {
            return reports.Where((status, i) => i == 0 || reports[i - 1] != status).ToList();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var timeout = TestTimeout.Token();
        while (!condition())
        {
            await Task.Delay(10, timeout);
        }
    }
}
