using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Services on `gantry dev`: the `gantry service` commands and the AWS errors of bad requests (healing, rolling updates
/// and the circuit breaker run on the three-node cluster in <see cref="ServiceClusterTests"/>).
/// </summary>
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
    public async Task Gantry_service_commands_create_list_scale_deploy_and_describe()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-cli", "--container-definitions", Healthy);
        string[] gantry = [Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "service"];
        string[] common = ["--endpoint", dev.Gantry.Endpoint.ToString(), "--data-dir", dev.Gantry.DataDirectory];
        var created = await Tool.OkAsync("dotnet", [.. gantry, "create", "cli", "svc-cli", "--count", "2", .. common]);
        Assert.EndsWith("steady", created.Trim(), StringComparison.Ordinal);
        Assert.Contains("svc-cli:1 PRIMARY/COMPLETED 2/2 running", created, StringComparison.Ordinal);
        var listed = await Tool.OkAsync("dotnet", [.. gantry, "ls", .. common]);
        Assert.Contains(listed.Split('\n'), l => l.StartsWith("cli ", StringComparison.Ordinal) && l.Contains("REPLICA", StringComparison.Ordinal));

        Assert.EndsWith("steady", (await Tool.OkAsync("dotnet", [.. gantry, "scale", "cli", "3", .. common])).Trim(), StringComparison.Ordinal);
        Assert.Equal(3, (await ServiceAsync("cli")).GetProperty("runningCount").GetInt32());

        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-cli", "--container-definitions", Healthy.Replace("sleep\",\"600", "sleep\",\"601", StringComparison.Ordinal));
        var deployed = await Tool.OkAsync("dotnet", [.. gantry, "deploy", "cli", "svc-cli:2", .. common]);
        Assert.Contains("svc-cli:2 PRIMARY/IN_PROGRESS", deployed, StringComparison.Ordinal);
        Assert.EndsWith("steady", deployed.Trim(), StringComparison.Ordinal);
        var described = await Tool.OkAsync("dotnet", [.. gantry, "describe", "cli", .. common]);
        Assert.Contains("desired 3  running 3", described, StringComparison.Ordinal);
        Assert.Contains("has reached a steady state.", described, StringComparison.Ordinal);
        await DeleteAsync("cli");
    }

    [Fact]
    public async Task Bad_service_requests_get_AWS_errors()
    {
        var missing = await Aws.RunAsync("ecs", "describe-services", "--services", "nope");
        Assert.Equal("MISSING", missing.Json.GetProperty("failures")[0].GetProperty("reason").GetString());
        var update = await Aws.RunAsync("ecs", "update-service", "--service", "nope", "--desired-count", "1");
        Assert.Contains("ServiceNotFoundException", update.StandardError, StringComparison.Ordinal);
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-bad", "--container-definitions", Healthy);
        var noCount = await Aws.RunAsync("ecs", "create-service", "--service-name", "bad", "--task-definition", "svc-bad");
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
