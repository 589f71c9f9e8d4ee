
namespace Gantry.Api.Tests.Tasks;

/// <summary>Placement strategies and constraints over the API, on a cluster of three registered container instances.</summary>
public sealed class PlacementTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private async Task<(string Cluster, List<string> Instances)> ThreeNodesAsync()
    {
        var cluster = $"place-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var instances = new List<string>();
        foreach (var zone in new[] { "az-a", "az-b", "az-c" })
        {
            var (status, body) = await host.CallAsync("RegisterContainerInstance", $$"""
                {"cluster":"{{cluster}}","instanceIdentityDocument":"{\"instanceId\":\"i-{{Guid.NewGuid():N}}\"}",
                 "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":2048}],
                 "attributes":[{"name":"ecs.availability-zone","value":"{{zone}}"}]}
                """);
            Assert.True(status == 200, body.ToString());
            instances.Add(body.GetProperty("containerInstance").GetProperty("containerInstanceArn").GetString()!);
        }
        await host.CallAsync("RegisterTaskDefinition", """{"family":"placed","containerDefinitions":[{"name":"app","image":"busybox","memory":256,"cpu":512}]}""");
        return (cluster, instances);
    }

    private async Task<List<string>> RunAsync(string cluster, int count, string extra)
    {
        var (status, body) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"placed","count":{{count}}{{extra}}}""");
        Assert.True(status == 200, body.ToString());
        return [.. body.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("containerInstanceArn").GetString()!)];
    }

    [Fact]
    public async Task Binpack_on_cpu_fills_one_instance_before_the_next()
    {
        var (cluster, _) = await ThreeNodesAsync();
        var placed = await RunAsync(cluster, 6, ""","placementStrategy":[{"type":"binpack","field":"cpu"}]""");
        var counts = placed.GroupBy(p => p).Select(g => g.Count()).OrderDescending().ToList();
        Assert.Equal([4, 2], counts); // 2048 units hold four 512-unit tasks
    }

    [Fact]
    public async Task Spread_over_availability_zones_balances_within_one_call()
    {
        var (cluster, _) = await ThreeNodesAsync();
        var placed = await RunAsync(cluster, 6, ""","placementStrategy":[{"type":"spread","field":"attribute:ecs.availability-zone"}]""");
        Assert.Equal([2, 2, 2], placed.GroupBy(p => p).Select(g => g.Count()).ToList());
    }

    [Fact]
    public async Task DistinctInstance_places_at_most_one_task_of_the_group_per_instance()
    {
        var (cluster, instances) = await ThreeNodesAsync();
        var (_, body) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"placed","count":4,"group":"singleton","placementConstraints":[{"type":"distinctInstance"}]}""");
        var placed = body.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("containerInstanceArn").GetString()).ToList();
        Assert.Equal(instances.Order(), placed.Order());
        Assert.NotEmpty(body.GetProperty("failures").EnumerateArray());
    }

    [Fact]
    public async Task MemberOf_keeps_tasks_on_matching_instances()
    {
        var (cluster, instances) = await ThreeNodesAsync();
        var placed = await RunAsync(cluster, 5, ""","placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.availability-zone in [az-a, az-c]"}]""");
        Assert.Equal(5, placed.Count);
        Assert.DoesNotContain(instances[1], placed);
    }

    [Fact]
    public async Task StartTask_places_on_the_named_instance()
    {
        var (cluster, instances) = await ThreeNodesAsync();
        var (status, body) = await host.CallAsync("StartTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"placed","containerInstances":["{{instances[2]}}"]}""");
        Assert.Equal(200, status);
        Assert.Equal(instances[2], body.GetProperty("tasks")[0].GetProperty("containerInstanceArn").GetString());
    }
}
