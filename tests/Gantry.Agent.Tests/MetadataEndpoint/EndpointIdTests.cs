using Gantry.Agent.Engine;
using Gantry.Agent.Tests.Engine.Fakes;
using Gantry.Agent.Tests.Images;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Tests.MetadataEndpoint;

/// <summary>What the engine keeps for the metadata endpoint: per-container ids, the launch, when containers finished.</summary>
public sealed class EndpointIdTests : IDisposable
{
    private const string Arn = "arn:aws:ecs:us-east-1:000000000000:task/web/0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Each_container_gets_its_own_endpoint_id_kept_in_the_task_state_and_a_finish_time_when_it_stops()
    {
        var node = new NodeCalls();
        var services = new NodeServices(new FakeImagePuller(node, _root.Path), new FakeContainerRuntime(node, _root.Path, TimeProvider.System),
            new TaskStateFiles(_root.Path), new FakeTaskNetwork(node), "registry.test", TimeProvider.System, NullLogger.Instance);
        await using var engine = new TaskEngine(services);
        var definition = new TaskDefinition
        {
            Family = "web",
            NetworkMode = "bridge",
            ContainerDefinitions =
            [
                new() { Name = "web", Image = "registry.test/web:1", Memory = 64, Command = ["sleep", "3600"] },
                new() { Name = "sidecar", Image = "registry.test/sidecar:1", Memory = 64, Command = ["sleep", "3600"] },
            ],
        };

        engine.Run(Arn, definition, null, null, new TaskLaunch("EC2", 0, "arn:aws:ecs:us-east-1:000000000000:cluster/web"));
        await WaitUntilAsync(() => engine.Tasks[0].LastStatus == TaskStatus.Running);

        var ids = engine.Tasks[0].Containers.Select(c => c.MetadataId).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
        var saved = Assert.Single(await new TaskStateFiles(_root.Path).LoadAllAsync(TestTimeout.Token()));
        Assert.Equal(ids, saved.Containers.Select(c => c.MetadataId));
        Assert.Equal(new TaskLaunch("EC2", 0, "arn:aws:ecs:us-east-1:000000000000:cluster/web"), saved.Launch);
        Assert.All(engine.Tasks[0].Containers, c => Assert.Null(c.FinishedAt));

        await engine.StopAsync(Arn, "test");
        await WaitUntilAsync(() => engine.Tasks[0].LastStatus == TaskStatus.Stopped);
        Assert.All(engine.Tasks[0].Containers, c => Assert.NotNull(c.FinishedAt));
        Assert.Equal(ids, engine.Tasks[0].Containers.Select(c => c.MetadataId));
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
