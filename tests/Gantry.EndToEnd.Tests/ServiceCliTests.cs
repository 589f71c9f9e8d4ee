using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Services with the real AWS CLI on `gantry dev`: steady state, self-healing, rolling updates, circuit breaker.</summary>
public sealed class ServiceCliTests(DevFixture dev) : IClassFixture<DevFixture>
{
    private AwsCli Aws => dev.Aws;

    private const string Healthy = """
        [{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":2,"command":["sleep","600"],
          "healthCheck":{"command":["CMD-SHELL","true"],"interval":5,"timeout":2,"retries":1}}]
        """;

    private async Task<JsonElement> ServiceAsync(string name) =>
        (await Aws.OkAsync("ecs", "describe-services", "--services", name)).GetProperty("services")[0];

    [Fact]
    public async Task A_service_reaches_steady_state_and_heals_a_killed_container()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-heal", "--container-definitions", Healthy);
        await Aws.OkAsync("ecs", "create-service", "--service-name", "heal", "--task-definition", "svc-heal", "--desired-count", "6");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--services", "heal");
        var service = await ServiceAsync("heal");
        Assert.Equal(6, service.GetProperty("runningCount").GetInt32());
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:service/default/heal", service.GetProperty("serviceArn").GetString());

        var tasks = (await Aws.OkAsync("ecs", "list-tasks", "--service-name", "heal")).GetProperty("taskArns").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(6, tasks.Count);
        var victim = tasks[0][(tasks[0].LastIndexOf('/') + 1)..];
        await Tool.OkAsync("/usr/sbin/runc", ["--root", Path.Combine(dev.Gantry.DataDirectory, "agent", "runc"), "kill", $"{victim}-app", "KILL"]);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", tasks[0]);
        await Eventually.TrueAsync(async () =>
        {
            var running = (await Aws.OkAsync("ecs", "list-tasks", "--service-name", "heal")).GetProperty("taskArns").EnumerateArray().Select(t => t.GetString()!).ToList();
            return running.Count == 6 && !running.Contains(tasks[0]);
        }, 60);
        await Aws.OkAsync("ecs", "wait", "services-stable", "--services", "heal");
        await DeleteAsync("heal");
    }

    [Fact]
    public async Task A_rolling_update_keeps_half_healthy_and_a_crashing_revision_rolls_back()
    {
        var first = (await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--container-definitions", Healthy))
            .GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString();
        await Aws.OkAsync("ecs", "create-service", "--service-name", "roll", "--task-definition", "svc-roll", "--desired-count", "6",
            "--deployment-configuration", "minimumHealthyPercent=50,maximumPercent=200,deploymentCircuitBreaker={enable=true,rollback=true}");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--services", "roll");

        var second = (await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--container-definitions", Healthy.Replace("sleep\",\"600", "sleep\",\"601", StringComparison.Ordinal)))
            .GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString();
        await Aws.OkAsync("ecs", "update-service", "--service", "roll", "--task-definition", "svc-roll:2");
        var lowest = int.MaxValue;
        await Eventually.TrueAsync(async () =>
        {
            var service = await ServiceAsync("roll");
            lowest = Math.Min(lowest, service.GetProperty("runningCount").GetInt32());
            var deployments = service.GetProperty("deployments");
            return deployments.GetArrayLength() == 1 && deployments[0].GetProperty("taskDefinition").GetString() == second
                && deployments[0].GetProperty("rolloutState").GetString() == "COMPLETED";
        }, 120);
        Assert.True(lowest >= 3, $"running tasks dropped to {lowest} during the rollout");

        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"command":["sh","-c","exit 1"]}]""");
        await Aws.OkAsync("ecs", "update-service", "--service", "roll", "--task-definition", "svc-roll:3");
        await Eventually.TrueAsync(async () => (await ServiceAsync("roll")).GetProperty("events").EnumerateArray()
            .Any(e => e.GetProperty("message").GetString()!.Contains("deployment failed: tasks failed to start", StringComparison.Ordinal)), 120);
        await Eventually.TrueAsync(async () =>
        {
            var service = await ServiceAsync("roll");
            var deployments = service.GetProperty("deployments");
            return deployments.GetArrayLength() == 1 && deployments[0].GetProperty("taskDefinition").GetString() == second
                && service.GetProperty("runningCount").GetInt32() == 6;
        }, 120);
        var rolledBack = await ServiceAsync("roll");
        Assert.Contains(rolledBack.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("rolling back to deployment", StringComparison.Ordinal));
        Assert.NotEqual(first, rolledBack.GetProperty("taskDefinition").GetString());
        await DeleteAsync("roll");
    }

    [Fact]
    public async Task Bad_service_requests_get_AWS_errors()
    {
        var missing = await Aws.RunAsync("ecs", "describe-services", "--services", "nope");
        Assert.Equal("MISSING", missing.Json.GetProperty("failures")[0].GetProperty("reason").GetString());
        var update = await Aws.RunAsync("ecs", "update-service", "--service", "nope", "--desired-count", "1");
        Assert.Contains("ServiceNotFoundException", update.StandardError, StringComparison.Ordinal);
        var noCount = await Aws.RunAsync("ecs", "create-service", "--service-name", "bad", "--task-definition", "svc-heal");
        Assert.Contains("InvalidParameterException", noCount.StandardError, StringComparison.Ordinal);
    }

    private async Task DeleteAsync(string name)
    {
        var refused = await Aws.RunAsync("ecs", "delete-service", "--service", name);
        Assert.Contains("scaled above 0", refused.StandardError, StringComparison.Ordinal);
        await Aws.OkAsync("ecs", "delete-service", "--service", name, "--force");
        try
        {
            await Eventually.TrueAsync(async () => (await ServiceAsync(name)).GetProperty("status").GetString() == "INACTIVE", 120);
        }
        catch (Xunit.Sdk.XunitException)
        {
            var left = (await Aws.OkAsync("ecs", "list-tasks", "--service-name", name)).GetProperty("taskArns").EnumerateArray().Select(t => t.GetString()!).ToArray();
            var tasks = left.Length == 0 ? "none" : string.Join("; ", (await Aws.OkAsync(["ecs", "describe-tasks", "--tasks", .. left])).GetProperty("tasks").EnumerateArray()
                .Select(t => $"{t.GetProperty("taskArn").GetString()} {t.GetProperty("lastStatus").GetString()}/{t.GetProperty("desiredStatus").GetString()}"));
            var service = await ServiceAsync(name);
            Assert.Fail($"service {name} stayed {service.GetProperty("status").GetString()}; live tasks: {tasks}; events: {service.GetProperty("events")[0]}\n{dev.Gantry.Output[^Math.Min(4000, dev.Gantry.Output.Length)..]}");
        }
        Assert.Empty((await Aws.OkAsync("ecs", "list-tasks", "--service-name", name)).GetProperty("taskArns").EnumerateArray());
    }
}
