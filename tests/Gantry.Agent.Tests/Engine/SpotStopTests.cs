using Gantry.Agent.Engine;
using Gantry.Agent.Tests.Engine.Fakes;
using Gantry.Agent.Tests.Images;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Tests.Engine;

/// <summary>How tasks stop when their Fargate Spot node is reclaimed: SIGTERM, and SIGKILL no later than the two-minute warning.</summary>
public sealed class SpotStopTests : IDisposable
{
    private const string Arn = "arn:aws:ecs:us-east-1:000000000000:task/spot/0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static TaskDefinition Definition => new()
    {
        Family = "spot",
        NetworkMode = "bridge",
        ContainerDefinitions =
        [
            new() { Name = "slow", Image = "registry.test/slow:1", Memory = 64, Command = ["sleep", "3600"], StopTimeout = 300 },
            new() { Name = "quick", Image = "registry.test/quick:1", Memory = 64, Command = ["sleep", "3600"], StopTimeout = 5 },
            new() { Name = "plain", Image = "registry.test/plain:1", Memory = 64, Command = ["sleep", "3600"] },
        ],
    };

    [Theory]
    [InlineData(TaskStopCodeValues.SpotInterruption, 120)]
    [InlineData(TaskStopCodeValues.UserInitiated, 300)]
    public async Task Each_container_gets_SIGTERM_and_its_stopTimeout_capped_at_the_warning_only_under_SpotInterruption(string stopCode, int slowSeconds)
    {
        var node = new NodeCalls();
        var runtime = new FakeContainerRuntime(node, _root.Path, TimeProvider.System);
        var services = new NodeServices(new FakeImagePuller(node, _root.Path), runtime, new TaskStateFiles(_root.Path), new FakeTaskNetwork(node), "registry.test",
            TimeProvider.System, NullLogger.Instance);
        await using var engine = new TaskEngine(services);
        engine.Run(Arn, Definition, null, null);
        await WaitUntilAsync(() => engine.Tasks[0].LastStatus == TaskStatus.Running);

        Assert.True(await engine.StopAsync(Arn, "Your Spot Task was interrupted.", stopCode));
        await engine.WhenStoppedAsync(Arn).WaitAsync(TestTimeout.Token());

        Assert.Equal(TimeSpan.FromSeconds(slowSeconds), runtime.StopTimeouts["slow"]);
        Assert.Equal(TimeSpan.FromSeconds(5), runtime.StopTimeouts["quick"]);
        Assert.Equal(TimeSpan.FromSeconds(30), runtime.StopTimeouts["plain"]);
        Assert.All(["slow", "quick", "plain"], name => Assert.Contains($"stop {name} SIGTERM", node.All));
        var task = engine.Tasks[0];
        Assert.Equal(stopCode, task.StopCode);
        Assert.Equal("Your Spot Task was interrupted.", task.StoppedReason);
    }

    [Fact]
    public async Task Stopping_all_tasks_stops_every_one_with_the_given_code_and_waits_for_them()
    {
        var node = new NodeCalls();
        var services = new NodeServices(new FakeImagePuller(node, _root.Path), new FakeContainerRuntime(node, _root.Path, TimeProvider.System),
            new TaskStateFiles(_root.Path), new FakeTaskNetwork(node), "registry.test", TimeProvider.System, NullLogger.Instance);
        await using var engine = new TaskEngine(services);
        var arns = new[] { Arn, Arn[..^1] + "0" };
        foreach (var arn in arns)
        {
            engine.Run(arn, Definition, null, null);
        }
        await WaitUntilAsync(() => engine.Tasks.All(t => t.LastStatus == TaskStatus.Running));

        await engine.StopAllAsync(TaskStopCodeValues.SpotInterruption, "Your Spot Task was interrupted.").WaitAsync(TestTimeout.Token());

        Assert.All(engine.Tasks, t =>
        {
            Assert.Equal(TaskStatus.Stopped, t.LastStatus);
            Assert.Equal(TaskStopCodeValues.SpotInterruption, t.StopCode);
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var ct = TestTimeout.Token();
        while (!condition())
        {
            await Task.Delay(10, ct);
        }
    }
}
