using Gantry.Api.State;
using Gantry.Store;

namespace Gantry.Api.Tests;

/// <summary>Cluster behaviour that the CLI tests cannot set up: deletion preconditions, idempotent create, settings.</summary>
public sealed class ClusterOperationTests : IClassFixture<ApiTestHost>
{
    private readonly ApiTestHost _host;

    public ClusterOperationTests(ApiTestHost host) => _host = host;

    [Fact]
    public async Task Delete_refuses_while_instances_are_registered_or_tasks_are_active()
    {
        var name = $"busy-{Guid.NewGuid():N}"[..16];
        await _host.CallAsync("CreateCluster", $$"""{"clusterName":"{{name}}"}""");
        var (_, registered) = await _host.CallAsync("RegisterContainerInstance", $$"""
            {"cluster":"{{name}}","instanceIdentityDocument":"{\"instanceId\":\"i-busy\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":1024},{"name":"MEMORY","type":"INTEGER","integerValue":1024}]}
            """);
        var instance = registered.GetProperty("containerInstance").GetProperty("containerInstanceArn").GetString();
        await AssertRefusedAsync(name, "ClusterContainsContainerInstancesException");

        await _host.CallAsync("RegisterTaskDefinition", """{"family":"busy","containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}""");
        await _host.CallAsync("RunTask", $$"""{"cluster":"{{name}}","taskDefinition":"busy"}""");
        await _host.CallAsync("DeregisterContainerInstance", $$"""{"cluster":"{{name}}","containerInstance":"{{instance}}","force":true}""");
        await AssertRefusedAsync(name, "ClusterContainsTasksException");
    }

    private async Task AssertRefusedAsync(string name, string expectedError)
    {
        var (status, body) = await _host.CallAsync("DeleteCluster", $$"""{"cluster":"{{name}}"}""");
        Assert.Equal(400, status);
        Assert.Equal(expectedError, body.GetProperty("__type").GetString());
        var (_, described) = await _host.CallAsync("DescribeClusters", $$"""{"clusters":["{{name}}"]}""");
        Assert.Equal("ACTIVE", described.GetProperty("clusters")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Create_is_idempotent_for_an_active_cluster()
    {
        var (_, first) = await _host.CallAsync("CreateCluster", """{"clusterName":"same","tags":[{"key":"a","value":"1"}]}""");
        var revision = _host.Store.CurrentRevision;
        var (status, second) = await _host.CallAsync("CreateCluster", """{"clusterName":"same"}""");
        Assert.Equal(200, status);
        Assert.Equal(first.GetProperty("cluster").GetProperty("clusterArn").GetString(), second.GetProperty("cluster").GetProperty("clusterArn").GetString());
        Assert.Equal("1", second.GetProperty("cluster").GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.True(_host.Store.CurrentRevision <= revision + 1);
    }

    [Fact]
    public async Task Create_without_a_name_makes_the_default_cluster()
    {
        var (_, body) = await _host.CallAsync("CreateCluster", "{}");
        Assert.Equal("default", body.GetProperty("cluster").GetProperty("clusterName").GetString());
    }

    [Theory]
    [InlineData("""{"clusterName":"has space"}""", "Cluster name")]
    [InlineData("""{"clusterName":"ok","settings":[{"name":"containerInsights","value":"sometimes"}]}""", "containerInsights")]
    [InlineData("""{"clusterName":"ok","tags":[{"key":"aws:reserved","value":"x"}]}""", "tags[0].key")]
    [InlineData("""{"clusterName":"ok","capacityProviders":["MY_ASG"]}""", "MY_ASG")]
    public async Task Invalid_create_is_an_InvalidParameterException_naming_the_field(string json, string named)
    {
        var before = _host.Store.CurrentRevision;
        var (status, body) = await _host.CallAsync("CreateCluster", json);
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Contains(named, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Update_cluster_settings_replaces_the_named_setting()
    {
        await _host.CallAsync("CreateCluster", """{"clusterName":"insights"}""");
        var (status, body) = await _host.CallAsync("UpdateClusterSettings",
            """{"cluster":"insights","settings":[{"name":"containerInsights","value":"enabled"}]}""");
        Assert.Equal(200, status);
        var settings = body.GetProperty("cluster").GetProperty("settings");
        Assert.Equal(1, settings.GetArrayLength());
        Assert.Equal("enabled", settings[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Tags_can_be_added_listed_and_removed_by_arn()
    {
        var (_, created) = await _host.CallAsync("CreateCluster", """{"clusterName":"tagged"}""");
        var arn = created.GetProperty("cluster").GetProperty("clusterArn").GetString();
        Assert.Equal(200, (await _host.CallAsync("TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"key":"env","value":"dev"},{"key":"team","value":"a"}]}""")).Status);
        Assert.Equal(200, (await _host.CallAsync("UntagResource", $$"""{"resourceArn":"{{arn}}","tagKeys":["team"]}""")).Status);
        var (_, listed) = await _host.CallAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""");
        var tag = Assert.Single(listed.GetProperty("tags").EnumerateArray());
        Assert.Equal("env", tag.GetProperty("key").GetString());
    }
}
