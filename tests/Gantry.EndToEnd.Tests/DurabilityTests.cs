using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Nothing acknowledged is lost: kill -9 right after an acknowledged write, restart, the write is there.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Kill_9_right_after_an_acknowledged_RegisterTaskDefinition_loses_nothing()
    {
        var gantry = await GantryProcess.StartAsync("dev");
        var home = gantry.Home;
        string arn;
        try
        {
            var registered = await new AwsCli(gantry).OkAsync("ecs", "register-task-definition", "--family", "durable",
                "--container-definitions", """[{"name":"app","image":"busybox","memory":32}]""");
            arn = registered.GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!;
            await gantry.KillAsync();
        }
        finally
        {
            await gantry.DisposeAsync();
        }

        await using var restarted = await GantryProcess.StartAsync("dev", home, gantry.DataDirectory);
        var described = await new AwsCli(restarted).OkAsync("ecs", "describe-task-definition", "--task-definition", "durable:1");
        Assert.Equal(arn, described.GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString());
    }
}
