using Gantry.Agent.Engine;
using Gantry.Agent.Networking;
using Gantry.Agent.Tests.Engine.Fakes;
using Gantry.Agent.Tests.Images;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Agent.Tests.Engine;

/// <summary>
/// An awsvpc task's network on its node, without runc. Its security groups: in force right after its namespace is made
/// and before any image is pulled, replaced at once by a newer update, an older update arriving late dropped, and kept
/// with the task. Its interface as the control plane allocated it: the network is made with that address and gateway,
/// the task reports it as its own, keeps it, and the network is removed with it when it stops.
/// </summary>
public sealed class AwsvpcTaskNetworkTests : IDisposable
{
    private const string TaskId = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_firewall_is_applied_before_the_pull_and_replaced_by_newer_updates_only()
    {
        var (node, files, services) = Node();
        var first = new TaskFirewallPolicy([new FirewallRule("tcp", 80, 80, ["10.214.0.9/32"])], [new FirewallRule("-1", -1, -1, ["0.0.0.0/0"])]);
        using var runner = new TaskRunner(NewTask(TaskLaunch.Ec2 with { Firewall = first }), services, _ => Task.CompletedTask);
        using var agent = new CancellationTokenSource();
        var run = runner.RunAsync(agent.Token);
        await WaitUntilAsync(() => runner.Current.LastStatus == TaskStatus.Running);

        var calls = node.All.ToList();
        Assert.Equal(calls.IndexOf("network ensure") + 1, calls.IndexOf("firewall 1 in 1 out"));
        Assert.True(calls.IndexOf("firewall 1 in 1 out") < calls.IndexOf("pull app"));

        var newer = new TaskFirewallPolicy([.. first.Ingress, new FirewallRule("udp", 53, 53, ["10.214.0.0/16"])], first.Egress);
        await runner.UpdateFirewallAsync(newer, sequence: 5, TestTimeout.Token());
        await runner.UpdateFirewallAsync(new TaskFirewallPolicy([], []), sequence: 3, TestTimeout.Token());

        Assert.Equal("firewall 2 in 1 out", node.All[^1]);
        Assert.DoesNotContain("firewall 0 in 0 out", node.All);
        Assert.Equal(newer, runner.Current.Launch!.Firewall);
        Assert.Equal(2, (await files.LoadAllAsync(TestTimeout.Token())).Single().Launch!.Firewall!.Ingress.Count);
        await agent.CancelAsync();
        try
        {
            await run.WaitAsync(TestTimeout.Token());
        }
        catch (OperationCanceledException) when (agent.IsCancellationRequested)
        {
            // The agent shutting down leaves the task running.
        }
    }

    [Fact]
    public async Task The_task_gets_its_interfaces_address_keeps_it_and_removes_its_network_with_it()
    {
        var (node, files, services) = Node();
        var eni = InterfaceAddress.TryCreate("100.64.3.7", 20, "100.64.0.1")!;
        using var runner = new TaskRunner(NewTask(TaskLaunch.Ec2 with { Interface = eni }), services, _ => Task.CompletedTask);
        var run = runner.RunAsync(CancellationToken.None);
        await WaitUntilAsync(() => runner.Current.LastStatus == TaskStatus.Running);

        Assert.Contains("network ensure 100.64.3.7/20 via 100.64.0.1", node.All);
        Assert.Equal("100.64.3.7", runner.Current.PrivateIp);
        Assert.Equal(eni, (await files.LoadAllAsync(TestTimeout.Token())).Single().Launch!.Interface);

        await runner.RequestStopAsync("UserInitiated", "done");
        await run.WaitAsync(TestTimeout.Token());
        Assert.Equal("network remove 100.64.3.7", node.All.Last(c => c.StartsWith("network", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("100.64.3.7", 0, "100.64.0.1")]
    [InlineData("100.64.3.7", 33, "100.64.0.1")]
    [InlineData("fd00::7", 64, "fd00::1")]
    [InlineData("100.64.3.7", 20, "gateway")]
    public void An_interface_that_is_not_IPv4_with_a_prefix_length_is_not_taken(string address, int prefixLength, string gateway) =>
        Assert.Null(InterfaceAddress.TryCreate(address, prefixLength, gateway));

    private (NodeCalls Calls, TaskStateFiles Files, NodeServices Services) Node()
    {
        var calls = new NodeCalls();
        var files = new TaskStateFiles(_root.Path);
        return (calls, files, new NodeServices(new FakeImagePuller(calls, _root.Path), new FakeContainerRuntime(calls, _root.Path, _time),
            files, new FakeTaskNetwork(calls), "registry.test", _time, NullLogger.Instance));
    }

    private AgentTask NewTask(TaskLaunch launch) =>
        new($"arn:aws:ecs:us-east-1:000000000000:task/test/{TaskId}", Definition, null, TaskStatus.Running, TaskStatus.Provisioning,
            [new AgentContainer("app", TaskEngine.RuntimeId(TaskId, "app"), "PENDING")], _time.GetUtcNow(), Launch: launch);

    private static TaskDefinition Definition => new()
    {
        Family = "guarded",
        NetworkMode = "awsvpc",
        Volumes = [],
        ContainerDefinitions = [new() { Name = "app", Image = "registry.test/app:1", Essential = true, Memory = 64, Command = ["sleep", "3600"] }],
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var timeout = TestTimeout.Token();
        while (!condition())
        {
            await Task.Delay(10, timeout);
        }
    }
}
