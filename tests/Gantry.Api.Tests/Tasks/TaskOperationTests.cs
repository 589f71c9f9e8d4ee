using System.Text.Json;

namespace Gantry.Api.Tests.Tasks;

/// <summary>RunTask bookkeeping over the API: placement on a registered instance, resources, counters, client tokens.</summary>
public sealed class TaskOperationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private async Task<(string Cluster, string Instance)> ClusterWithInstanceAsync(int memory = 1024)
    {
        var cluster = $"tasks-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var (status, body) = await host.CallAsync("RegisterContainerInstance", $$"""
            {"cluster":"{{cluster}}","instanceIdentityDocument":"{\"instanceId\":\"i-{{Guid.NewGuid():N}}\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":{{memory}}},
                               {"name":"PORTS","type":"STRINGSET","stringSetValue":["22"]}]}
            """);
        Assert.True(status == 200, body.ToString());
        return (cluster, body.GetProperty("containerInstance").GetProperty("containerInstanceArn").GetString()!);
    }

    private async Task RegisterAsync(string family, int memory, int hostPort = 0)
    {
        var ports = hostPort == 0 ? "" : $$""","portMappings":[{"containerPort":80,"hostPort":{{hostPort}}}]""";
        var (status, body) = await host.CallAsync("RegisterTaskDefinition", $$"""
            {"family":"{{family}}","containerDefinitions":[{"name":"app","image":"busybox","memory":{{memory}},"cpu":256{{ports}}}]}
            """);
        Assert.True(status == 200, body.ToString());
    }

    private async Task<JsonElement> InstanceAsync(string cluster, string arn) =>
        (await host.CallAsync("DescribeContainerInstances", $$"""{"cluster":"{{cluster}}","containerInstances":["{{arn}}"]}""")).Body.GetProperty("containerInstances")[0];

    private static int Remaining(JsonElement instance, string name) =>
        instance.GetProperty("remainingResources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name).GetProperty("integerValue").GetInt32();

    [Fact]
    public async Task RunTask_takes_resources_and_counts_pending_tasks_in_one_commit()
    {
        var (cluster, instance) = await ClusterWithInstanceAsync();
        await RegisterAsync("bookkeeping", 256);
        var (status, run) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"bookkeeping","count":3}""");
        Assert.Equal(200, status);
        Assert.Equal(3, run.GetProperty("tasks").GetArrayLength());
        var task = run.GetProperty("tasks")[0];
        Assert.Equal("PROVISIONING", task.GetProperty("lastStatus").GetString());
        Assert.Equal("RUNNING", task.GetProperty("desiredStatus").GetString());
        Assert.Equal("family:bookkeeping", task.GetProperty("group").GetString());
        var described = await InstanceAsync(cluster, instance);
        Assert.Equal(1024 - (3 * 256), Remaining(described, "MEMORY"));
        Assert.Equal(2048 - (3 * 256), Remaining(described, "CPU"));
        Assert.Equal(3, described.GetProperty("pendingTasksCount").GetInt32());
        var (_, clusters) = await host.CallAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""");
        Assert.Equal(3, clusters.GetProperty("clusters")[0].GetProperty("pendingTasksCount").GetInt32());

        var (_, full) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"bookkeeping","count":2}""");
        Assert.Single(full.GetProperty("tasks").EnumerateArray());
        Assert.Equal("RESOURCE:MEMORY", full.GetProperty("failures")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_taken_static_host_port_is_RESOURCE_PORTS()
    {
        var (cluster, _) = await ClusterWithInstanceAsync();
        await RegisterAsync("ports", 64, hostPort: 8080);
        var (_, first) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"ports"}""");
        Assert.Single(first.GetProperty("tasks").EnumerateArray());
        var (_, second) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"ports"}""");
        Assert.Empty(second.GetProperty("tasks").EnumerateArray());
        Assert.Equal("RESOURCE:PORTS", second.GetProperty("failures")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_repeated_client_token_returns_the_same_tasks()
    {
        var (cluster, _) = await ClusterWithInstanceAsync();
        await RegisterAsync("token", 64);
        var request = $$"""{"cluster":"{{cluster}}","taskDefinition":"token","count":2,"clientToken":"abc-123"}""";
        var (_, first) = await host.CallAsync("RunTask", request);
        var (_, second) = await host.CallAsync("RunTask", request);
        Assert.Equal(first.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()),
            second.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()));
        var (_, listed) = await host.CallAsync("ListTasks", $$"""{"cluster":"{{cluster}}","family":"token"}""");
        Assert.Equal(2, listed.GetProperty("taskArns").GetArrayLength());
    }

    [Fact]
    public async Task StopTask_marks_desired_stopped_and_DescribeTasks_reports_missing_ones()
    {
        var (cluster, _) = await ClusterWithInstanceAsync();
        await RegisterAsync("stopping", 64);
        var (_, run) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"stopping"}""");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString();
        var (_, stopped) = await host.CallAsync("StopTask", $$"""{"cluster":"{{cluster}}","task":"{{arn}}","reason":"because"}""");
        Assert.Equal("STOPPED", stopped.GetProperty("task").GetProperty("desiredStatus").GetString());
        Assert.Equal("UserInitiated", stopped.GetProperty("task").GetProperty("stopCode").GetString());
        var (_, described) = await host.CallAsync("DescribeTasks", $$"""{"cluster":"{{cluster}}","tasks":["{{arn}}","0123456789abcdef0123456789abcdef"]}""");
        Assert.Equal("because", described.GetProperty("tasks")[0].GetProperty("stoppedReason").GetString());
        Assert.Equal("MISSING", described.GetProperty("failures")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Placement_constraints_are_honoured_and_invalid_ones_refused()
    {
        var (cluster, instance) = await ClusterWithInstanceAsync();
        await RegisterAsync("constrained", 64);
        var (_, distinct) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"constrained","count":2,"placementConstraints":[{"type":"distinctInstance"}]}""");
        Assert.Single(distinct.GetProperty("tasks").EnumerateArray());
        Assert.Contains("DistinctInstance", distinct.GetProperty("failures")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var (_, member) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"constrained","placementConstraints":[{"type":"memberOf","expression":"attribute:stack == prod"}]}""");
        Assert.Empty(member.GetProperty("tasks").EnumerateArray());
        Assert.Contains("MemberOf", member.GetProperty("failures")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        await host.CallAsync("PutAttributes", $$"""{"cluster":"{{cluster}}","attributes":[{"name":"stack","value":"prod","targetId":"{{instance}}"}]}""");
        var (_, placed) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"constrained","placementConstraints":[{"type":"memberOf","expression":"attribute:stack == prod"}]}""");
        Assert.Single(placed.GetProperty("tasks").EnumerateArray());
        var (status, invalid) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"constrained","placementConstraints":[{"type":"memberOf","expression":"attribute:stack =="}]}""");
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", invalid.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_distinctInstance_constraint_with_an_expression_is_InvalidParameterException_not_a_500()
    {
        var (cluster, _) = await ClusterWithInstanceAsync();
        await RegisterAsync("distinct-expression", 64);
        var before = host.Store.CurrentRevision;
        var (status, body) = await host.CallAsync("RunTask",
            $$"""{"cluster":"{{cluster}}","taskDefinition":"distinct-expression","placementConstraints":[{"type":"distinctInstance","expression":"fz*?[]{}%"}]}""");
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    [Theory]
    [InlineData("""{"name":"PORTS","type":"STRINGSET","stringSetValue":["fz*?[]{}%"]}""", "")]
    [InlineData("""{"name":"PORTS","type":"STRINGSET","stringSetValue":["70000"]}""", "")]
    [InlineData("""{"name":"PORTS","type":"STRINGSET","stringSetValue":["22"]}""", ""","attributes":[{"notAMember":[1,{"a":null}]}]""")]
    public async Task RegisterContainerInstance_refuses_bad_ports_and_nameless_attributes_and_RunTask_still_works(string ports, string attributes)
    {
        var cluster = $"rci-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        await RegisterAsync("after-bad-instance", 64);
        var before = host.Store.CurrentRevision;
        var (status, body) = await host.CallAsync("RegisterContainerInstance", $$"""
            {"cluster":"{{cluster}}","totalResources":[{{ports}},{"name":"CPU","type":"INTEGER","integerValue":1024},
             {"name":"MEMORY","type":"INTEGER","integerValue":2048}]{{attributes}}}
            """);
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
        var (run, _) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"after-bad-instance"}""");
        Assert.Equal(200, run);
    }
}
