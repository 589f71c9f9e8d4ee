using Gantry.Agent.Engine;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Tests.Engine;

/// <summary>An agent that goes away leaves its containers running; the next one adopts them and reports exits it missed.</summary>
[Trait("Category", "Runtime")]
public sealed class AdoptionTests(EngineFixture node) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task Twenty_running_containers_survive_the_agent_and_are_adopted_with_missed_exits_reported()
    {
        using var http = new HttpClient();
        var trigger = Directory.CreateTempSubdirectory("gantry-trigger-").FullName;
        var arns = Enumerable.Range(0, 20).Select(_ => $"arn:aws:ecs:us-east-1:000000000000:task/test/{Guid.NewGuid():N}").ToList();
        var (first, images) = node.NewEngine(http);
        foreach (var (arn, i) in arns.Select((a, i) => (a, i)))
        {
            // Task 0 exits with 5 once the trigger file appears; the others just run.
            var script = i == 0 ? "while [ ! -f /trigger/go ]; do sleep 0.1; done; exit 5" : "sleep 600";
            var definition = new TaskDefinition
            {
                Family = "adopt",
                NetworkMode = "none",
                Volumes = [new Volume { Name = "trigger", Host = new HostVolumeProperties { SourcePath = trigger } }],
                ContainerDefinitions = [new ContainerDefinition
                {
                    Name = "app", Image = node.Busybox, Essential = true, Memory = 16, Command = ["sh", "-c", script],
                    MountPoints = [new MountPoint { SourceVolume = "trigger", ContainerPath = "/trigger" }],
                }],
            };
            first.Run(arn, definition, null, null);
        }
        await WaitAsync(() => arns.All(a => first.Tasks.Single(t => t.TaskArn == a).LastStatus == TaskStatus.Running), 120);
        await first.DisposeAsync(); // the agent goes away; nothing stops the containers
        images.Dispose();

        var runtime = new ContainerRuntime(node.StateDirectory, TimeProvider.System, NullLogger<ContainerRuntime>.Instance);
        foreach (var arn in arns)
        {
            var id = TaskEngine.RuntimeId(arn[(arn.LastIndexOf('/') + 1)..], "app");
            Assert.Equal(ContainerStatus.Running, (await runtime.StateAsync(id, CancellationToken.None)).Status);
        }
        var exited = TaskEngine.RuntimeId(arns[0][(arns[0].LastIndexOf('/') + 1)..], "app");
        await File.WriteAllTextAsync(Path.Combine(trigger, "go"), "");
        await WaitAsync(() => Task.FromResult(runtime.ExitOf(exited) is not null), 30);

        var (second, images2) = node.NewEngine(http);
        await second.ResumeAsync(CancellationToken.None);
        await second.WhenStoppedAsync(arns[0]).WaitAsync(TimeSpan.FromSeconds(60));
        var stopped = second.Tasks.Single(t => t.TaskArn == arns[0]);
        Assert.Equal(TaskStatus.Stopped, stopped.LastStatus);
        Assert.Equal(5, stopped.Container("app").ExitCode);
        Assert.All(arns.Skip(1), arn => Assert.Equal(TaskStatus.Running, second.Tasks.Single(t => t.TaskArn == arn).LastStatus));
        // Nothing was started twice: exactly the 19 still-running containers exist.
        var listed = await runtime.ListAsync(CancellationToken.None);
        Assert.Equal(19, listed.Count(id => arns.Skip(1).Any(a => id.StartsWith(a[(a.LastIndexOf('/') + 1)..], StringComparison.Ordinal))));
        foreach (var arn in arns.Skip(1))
        {
            await second.StopAsync(arn, "cleanup");
        }
        await Task.WhenAll(arns.Skip(1).Select(second.WhenStoppedAsync)).WaitAsync(TimeSpan.FromSeconds(120));
        await second.DisposeAsync();
        images2.Dispose();
        Directory.Delete(trigger, recursive: true);
    }

    private static Task WaitAsync(Func<bool> condition, int seconds) => WaitAsync(() => Task.FromResult(condition()), seconds);

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {seconds} s");
            await Task.Delay(100);
        }
    }
}
