using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>The ECS cluster and task definition commands of the real AWS CLI v2 against `gantry dev`.</summary>
public sealed class ClusterAndTaskDefinitionCliTests : IAsyncLifetime
{
    private GantryProcess _gantry = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        _gantry = await GantryProcess.StartAsync("dev");
        _aws = new AwsCli(_gantry);
    }

    public async Task DisposeAsync() => await _gantry.DisposeAsync();

    [Fact]
    public async Task Cluster_lifecycle_through_the_gantry_profile()
    {
        var created = await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", "e2e", "--tags", "key=team,value=platform");
        var cluster = created.GetProperty("cluster");
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:cluster/e2e", cluster.GetProperty("clusterArn").GetString());
        Assert.Equal("ACTIVE", cluster.GetProperty("status").GetString());
        Assert.Equal(0, cluster.GetProperty("registeredContainerInstancesCount").GetInt32());

        var listed = await _aws.OkAsync("ecs", "list-clusters");
        Assert.Contains("arn:aws:ecs:us-east-1:000000000000:cluster/e2e", Strings(listed.GetProperty("clusterArns")));

        var described = await _aws.OkAsync("ecs", "describe-clusters", "--clusters", "e2e", "missing", "--include", "TAGS", "SETTINGS");
        var only = Assert.Single(described.GetProperty("clusters").EnumerateArray());
        Assert.Equal("platform", only.GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.Equal("containerInsights", only.GetProperty("settings")[0].GetProperty("name").GetString());
        var failure = Assert.Single(described.GetProperty("failures").EnumerateArray());
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:cluster/missing", failure.GetProperty("arn").GetString());
        Assert.Equal("MISSING", failure.GetProperty("reason").GetString());

        var deleted = await _aws.OkAsync("ecs", "delete-cluster", "--cluster", "e2e");
        Assert.Equal("INACTIVE", deleted.GetProperty("cluster").GetProperty("status").GetString());
        listed = await _aws.OkAsync("ecs", "list-clusters");
        Assert.DoesNotContain("arn:aws:ecs:us-east-1:000000000000:cluster/e2e", Strings(listed.GetProperty("clusterArns")));

        var again = await _aws.RunAsync("ecs", "delete-cluster", "--cluster", "e2e");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("ClusterNotFoundException", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_clusters_paginates_with_max_results()
    {
        foreach (var name in new[] { "p1", "p2", "p3", "p4", "p5" })
        {
            await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", name);
        }
        var page = await _aws.OkAsync("ecs", "list-clusters", "--max-items", "2");
        Assert.Equal(2, page.GetProperty("clusterArns").GetArrayLength());
        var token = page.GetProperty("NextToken").GetString()!;
        var rest = await _aws.OkAsync("ecs", "list-clusters", "--starting-token", token);
        var all = Strings(page.GetProperty("clusterArns")).Concat(Strings(rest.GetProperty("clusterArns"))).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Superset(new[] { "p1", "p2", "p3", "p4", "p5" }.Select(n => $"arn:aws:ecs:us-east-1:000000000000:cluster/{n}").ToHashSet(), all.ToHashSet());

        var small = await _aws.OkAsync("ecs", "list-clusters", "--page-size", "1");
        Assert.True(small.GetProperty("clusterArns").GetArrayLength() >= 5, "the CLI follows nextToken across pages of one");
    }

    [Fact]
    public async Task AWS_Fargate_sample_and_an_EC2_bridge_definition_register_describe_list_and_deregister()
    {
        var fargate = await _aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", $"file://{TestData("fargate-sample.json")}");
        var definition = fargate.GetProperty("taskDefinition");
        Assert.Equal("sample-fargate", definition.GetProperty("family").GetString());
        Assert.Equal(1, definition.GetProperty("revision").GetInt32());
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:task-definition/sample-fargate:1", definition.GetProperty("taskDefinitionArn").GetString());
        Assert.Equal("ACTIVE", definition.GetProperty("status").GetString());
        Assert.Contains("FARGATE", Strings(definition.GetProperty("compatibilities")));
        Assert.Equal("256", definition.GetProperty("cpu").GetString());

        var second = await _aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", $"file://{TestData("fargate-sample.json")}");
        Assert.Equal(2, second.GetProperty("taskDefinition").GetProperty("revision").GetInt32());

        var bridge = await _aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", $"file://{TestData("ec2-bridge-sample.json")}");
        var bridgeFamily = bridge.GetProperty("taskDefinition").GetProperty("family").GetString()!;
        Assert.Equal("bridge", bridge.GetProperty("taskDefinition").GetProperty("networkMode").GetString());

        var described = await _aws.OkAsync("ecs", "describe-task-definition", "--task-definition", "sample-fargate");
        Assert.Equal(2, described.GetProperty("taskDefinition").GetProperty("revision").GetInt32());
        var container = described.GetProperty("taskDefinition").GetProperty("containerDefinitions")[0];
        Assert.Equal("fargate-app", container.GetProperty("name").GetString());
        Assert.Equal(80, container.GetProperty("portMappings")[0].GetProperty("hostPort").GetInt32());

        var listed = await _aws.OkAsync("ecs", "list-task-definitions", "--family-prefix", "sample-fargate");
        Assert.Equal(
            ["arn:aws:ecs:us-east-1:000000000000:task-definition/sample-fargate:1", "arn:aws:ecs:us-east-1:000000000000:task-definition/sample-fargate:2"],
            Strings(listed.GetProperty("taskDefinitionArns")));
        var newestFirst = await _aws.OkAsync("ecs", "list-task-definitions", "--family-prefix", "sample-fargate", "--sort", "DESC");
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:task-definition/sample-fargate:2", Strings(newestFirst.GetProperty("taskDefinitionArns"))[0]);

        var deregistered = await _aws.OkAsync("ecs", "deregister-task-definition", "--task-definition", "sample-fargate:2");
        Assert.Equal("INACTIVE", deregistered.GetProperty("taskDefinition").GetProperty("status").GetString());
        var latest = await _aws.OkAsync("ecs", "describe-task-definition", "--task-definition", "sample-fargate");
        Assert.Equal(1, latest.GetProperty("taskDefinition").GetProperty("revision").GetInt32());
        var inactive = await _aws.OkAsync("ecs", "list-task-definitions", "--status", "INACTIVE");
        Assert.Equal(["arn:aws:ecs:us-east-1:000000000000:task-definition/sample-fargate:2"], Strings(inactive.GetProperty("taskDefinitionArns")));

        var families = await _aws.OkAsync("ecs", "list-task-definition-families");
        Assert.Equal(new[] { bridgeFamily, "sample-fargate" }.Order(StringComparer.Ordinal), Strings(families.GetProperty("families")));
    }

    [Fact]
    public async Task Invalid_task_definition_is_refused_with_the_AWS_error_type_and_field()
    {
        var result = await _aws.RunAsync("ecs", "register-task-definition", "--family", "bad",
            "--container-definitions", """[{"name":"web","image":"busybox","memory":64,"memoryReservation":128}]""");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(ClientException)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("memoryReservation", result.StandardError, StringComparison.Ordinal);
        var families = await _aws.OkAsync("ecs", "list-task-definition-families");
        Assert.Empty(Strings(families.GetProperty("families")));
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);
}
