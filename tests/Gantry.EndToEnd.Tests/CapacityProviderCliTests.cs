using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Capacity providers and cluster statistics with the real AWS CLI against `gantry dev` and its local agent.</summary>
public sealed class CapacityProviderCliTests(DevFixture dev) : IClassFixture<DevFixture>
{
    private const string EdgeGroupArn =
        "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:6d2a1c4e-8a1f-4d3e-9b1a-0c9e5f1d2a3b:autoScalingGroupName/edge";

    private AwsCli Aws => dev.Aws;

    private async Task<string> FailsAsync(string expectedType, params string[] args)
    {
        var result = await Aws.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"({expectedType})", result.StandardError, StringComparison.Ordinal);
        return result.StandardError;
    }

    private static IEnumerable<string?> Names(JsonElement providers) => providers.EnumerateArray().Select(p => p.GetProperty("name").GetString());

    [Fact]
    public async Task Create_describe_update_associate_and_delete_a_capacity_provider()
    {
        var builtIn = await Aws.OkAsync("ecs", "describe-capacity-providers");
        Assert.Equal(["FARGATE", "FARGATE_SPOT"], Names(builtIn.GetProperty("capacityProviders")));

        var created = (await Aws.OkAsync("ecs", "create-capacity-provider", "--name", "e2e-edge",
            "--auto-scaling-group-provider", $$"""{"autoScalingGroupArn":"{{EdgeGroupArn}}","managedScaling":{"status":"ENABLED","targetCapacity":80} }""",
            "--tags", "key=team,value=edge")).GetProperty("capacityProvider");
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:capacity-provider/e2e-edge", created.GetProperty("capacityProviderArn").GetString());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Equal(80, created.GetProperty("autoScalingGroupProvider").GetProperty("managedScaling").GetProperty("targetCapacity").GetInt32());

        var described = (await Aws.OkAsync("ecs", "describe-capacity-providers", "--capacity-providers", "e2e-edge", "--include", "TAGS"))
            .GetProperty("capacityProviders")[0];
        Assert.Equal("edge", described.GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.Equal(["FARGATE", "FARGATE_SPOT", "e2e-edge"], Names((await Aws.OkAsync("ecs", "describe-capacity-providers")).GetProperty("capacityProviders")));

        var updated = (await Aws.OkAsync("ecs", "update-capacity-provider", "--name", "e2e-edge",
            "--auto-scaling-group-provider", """{"managedScaling":{"targetCapacity":50},"managedTerminationProtection":"ENABLED"}""")).GetProperty("capacityProvider");
        Assert.Equal(50, updated.GetProperty("autoScalingGroupProvider").GetProperty("managedScaling").GetProperty("targetCapacity").GetInt32());
        Assert.Equal("ENABLED", updated.GetProperty("autoScalingGroupProvider").GetProperty("managedTerminationProtection").GetString());

        Assert.Contains("The name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\"", await FailsAsync("InvalidParameterException",
            "ecs", "create-capacity-provider", "--name", "fargate-mine", "--auto-scaling-group-provider", "autoScalingGroupArn=other"), StringComparison.Ordinal);
        Assert.Contains("already being used by another capacity provider", await FailsAsync("ClientException",
            "ecs", "create-capacity-provider", "--name", "e2e-edge2", "--auto-scaling-group-provider", "autoScalingGroupArn=edge"), StringComparison.Ordinal);

        await Aws.OkAsync("ecs", "create-cluster", "--cluster-name", "e2e-cap");
        Assert.Contains("cannot contain a mix of capacity providers", await FailsAsync("InvalidParameterException",
            "ecs", "put-cluster-capacity-providers", "--cluster", "e2e-cap", "--capacity-providers", "FARGATE", "e2e-edge",
            "--default-capacity-provider-strategy", "capacityProvider=FARGATE,weight=1", "capacityProvider=e2e-edge,weight=1"), StringComparison.Ordinal);
        await Aws.OkAsync("ecs", "put-cluster-capacity-providers", "--cluster", "e2e-cap", "--capacity-providers", "FARGATE", "e2e-edge",
            "--default-capacity-provider-strategy", "capacityProvider=e2e-edge,weight=1");

        var refused = (await Aws.OkAsync("ecs", "delete-capacity-provider", "--capacity-provider", "e2e-edge")).GetProperty("capacityProvider");
        Assert.Equal("DELETE_FAILED", refused.GetProperty("updateStatus").GetString());
        Assert.Contains("associated with cluster: e2e-cap", refused.GetProperty("updateStatusReason").GetString(), StringComparison.Ordinal);

        await Aws.OkAsync("ecs", "put-cluster-capacity-providers", "--cluster", "e2e-cap", "--capacity-providers", "FARGATE", "FARGATE_SPOT",
            "--default-capacity-provider-strategy", "capacityProvider=FARGATE,base=1,weight=1", "capacityProvider=FARGATE_SPOT,weight=3");
        var deleted = (await Aws.OkAsync("ecs", "delete-capacity-provider", "--capacity-provider", "e2e-edge")).GetProperty("capacityProvider");
        Assert.Equal("INACTIVE", deleted.GetProperty("status").GetString());
        Assert.Equal("INACTIVE", (await Aws.OkAsync("ecs", "describe-capacity-providers", "--capacity-providers", "e2e-edge"))
            .GetProperty("capacityProviders")[0].GetProperty("status").GetString());
        Assert.Contains("does not exist", await FailsAsync("ClientException", "ecs", "delete-capacity-provider", "--capacity-provider", "e2e-edge"), StringComparison.Ordinal);
        await FailsAsync("ClientException", "ecs", "delete-capacity-provider", "--capacity-provider", "FARGATE");

        var cluster = (await Aws.OkAsync("ecs", "describe-clusters", "--clusters", "e2e-cap")).GetProperty("clusters")[0];
        Assert.Equal(["FARGATE", "FARGATE_SPOT"], cluster.GetProperty("capacityProviders").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("""[{"capacityProvider":"FARGATE","weight":1,"base":1},{"capacityProvider":"FARGATE_SPOT","weight":3,"base":0}]""",
            JsonSerializer.Serialize(cluster.GetProperty("defaultCapacityProviderStrategy")));
    }

    [Fact]
    public async Task Describe_clusters_include_statistics_counts_a_running_ec2_task_and_a_service()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "e2e-stats",
            "--container-definitions", """[{"name":"app","image":"busybox","memory":32,"essential":true,"command":["sleep","600"]}]""");
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-stats")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        await Aws.OkAsync("ecs", "create-service", "--service-name", "e2e-stats-idle", "--task-definition", "e2e-stats", "--desired-count", "0");

        var cluster = (await Aws.OkAsync("ecs", "describe-clusters", "--include", "STATISTICS")).GetProperty("clusters")[0];
        var statistics = cluster.GetProperty("statistics").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString());
        Assert.Equal(12, statistics.Count);
        Assert.Equal("1", statistics["runningEC2TasksCount"]);
        Assert.Equal("0", statistics["runningFargateTasksCount"]);
        Assert.Equal("0", statistics["pendingEC2TasksCount"]);
        Assert.Equal("1", statistics["activeEC2ServiceCount"]);
        Assert.Equal("0", statistics["activeFargateServiceCount"]);
        Assert.Equal(0, (await Aws.OkAsync("ecs", "describe-clusters")).GetProperty("clusters")[0].GetProperty("statistics").GetArrayLength());

        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
        var after = (await Aws.OkAsync("ecs", "describe-clusters", "--include", "STATISTICS")).GetProperty("clusters")[0].GetProperty("statistics");
        Assert.Equal("0", after.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "runningEC2TasksCount").GetProperty("value").GetString());
    }
}
