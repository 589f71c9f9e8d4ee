using System.Text.Json;
using Gantry.Api.Ecs;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Domain.Tasks;
using Gantry.Store;

namespace Gantry.Api.Tests.Capacity;

/// <summary>The capacity provider API and what DescribeClusters shows of it, through the front door.</summary>
public sealed class CapacityProviderOperationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string GroupArn(string group) => NodeGroups.Arn(AwsAccount.Default, group);

    private async Task<JsonElement> OkAsync(string operation, string json)
    {
        var (status, body) = await host.CallAsync(operation, json);
        Assert.True(status == 200, $"{operation}: {status} {body}");
        return body;
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        var (status, body) = await host.CallAsync(operation, json);
        Assert.True(status == 400, $"{operation}: {status} {body}");
        Assert.Equal(type, body.GetProperty("__type").GetString());
        return body.GetProperty("message").GetString()!;
    }

    private async Task<JsonElement> CreateProviderAsync(string name, string? group = null, string extra = "") =>
        (await OkAsync("CreateCapacityProvider", $$"""
            {"name":"{{name}}","autoScalingGroupProvider":{"autoScalingGroupArn":"{{GroupArn(group ?? name)}}"{{extra}}},
             "tags":[{"key":"team","value":"infra"}]}
            """)).GetProperty("capacityProvider");

    [Fact]
    public async Task Fargate_providers_are_always_described_as_active_first()
    {
        var body = await OkAsync("DescribeCapacityProviders", """{"maxResults":2}""");

        var providers = body.GetProperty("capacityProviders").EnumerateArray().ToList();
        Assert.Equal(["FARGATE", "FARGATE_SPOT"], providers.Select(p => p.GetProperty("name").GetString()));
        Assert.All(providers, p => Assert.Equal("ACTIVE", p.GetProperty("status").GetString()));
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE", providers[0].GetProperty("capacityProviderArn").GetString());
    }

    [Fact]
    public async Task Create_reports_the_provider_with_ecs_defaults_and_tags_only_when_included()
    {
        var name = Unique("edge");
        var created = await CreateProviderAsync(name, extra: ""","managedScaling":{"targetCapacity":80}""");

        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        var group = created.GetProperty("autoScalingGroupProvider");
        Assert.Equal(GroupArn(name), group.GetProperty("autoScalingGroupArn").GetString());
        Assert.Equal("""{"status":"ENABLED","targetCapacity":80,"minimumScalingStepSize":1,"maximumScalingStepSize":10000,"instanceWarmupPeriod":300}""",
            group.GetProperty("managedScaling").GetRawText());
        Assert.Equal("DISABLED", group.GetProperty("managedTerminationProtection").GetString());
        Assert.Equal("ENABLED", group.GetProperty("managedDraining").GetString());

        var plain = (await OkAsync("DescribeCapacityProviders", $$"""{"capacityProviders":["{{name}}"]}""")).GetProperty("capacityProviders")[0];
        Assert.Equal(0, plain.GetProperty("tags").GetArrayLength());
        var tagged = await OkAsync("DescribeCapacityProviders", $$"""{"capacityProviders":["{{created.GetProperty("capacityProviderArn").GetString()}}","nope"],"include":["TAGS"]}""");
        Assert.Equal("infra", tagged.GetProperty("capacityProviders")[0].GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.Equal("MISSING", tagged.GetProperty("failures")[0].GetProperty("reason").GetString());
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:capacity-provider/nope", tagged.GetProperty("failures")[0].GetProperty("arn").GetString());
    }

    [Theory]
    [InlineData("aws-nodes")]
    [InlineData("ECS_nodes")]
    [InlineData("fargate2")]
    [InlineData("FARGATE")]
    [InlineData("has space")]
    public async Task Create_refuses_reserved_and_invalid_names(string name)
    {
        var message = await ErrorAsync("CreateCapacityProvider", $$"""{"name":"{{name}}","autoScalingGroupProvider":{"autoScalingGroupArn":"g"} }""", "InvalidParameterException");

        Assert.Equal(CapacityProviderOperations.InvalidNameMessage, message);
    }

    [Fact]
    public async Task Create_refuses_a_taken_name_a_taken_group_and_an_unreadable_group_arn()
    {
        var name = Unique("dup");
        await CreateProviderAsync(name);

        Assert.Equal(CapacityProviderOperations.ExistsMessage, await ErrorAsync("CreateCapacityProvider",
            $$"""{"name":"{{name}}","autoScalingGroupProvider":{"autoScalingGroupArn":"{{Unique("other")}}"} }""", "ClientException"));
        Assert.Equal(CapacityProviderOperations.GroupInUseMessage, await ErrorAsync("CreateCapacityProvider",
            $$"""{"name":"{{Unique("dup")}}","autoScalingGroupProvider":{"autoScalingGroupArn":"{{name}}"} }""", "ClientException"));
        Assert.Contains("gantry.node-group", await ErrorAsync("CreateCapacityProvider",
            $$"""{"name":"{{Unique("bad")}}","autoScalingGroupProvider":{"autoScalingGroupArn":"arn:aws:autoscaling:eu-west-1:000000000000:autoScalingGroup:x:autoScalingGroupName/y"} }""",
            "InvalidParameterException"), StringComparison.Ordinal);
        Assert.Contains("targetCapacity must be between 1 and 100", await ErrorAsync("CreateCapacityProvider",
            $$"""{"name":"{{Unique("bad")}}","autoScalingGroupProvider":{"autoScalingGroupArn":"{{Unique("g")}}","managedScaling":{"targetCapacity":0} } }""",
            "InvalidParameterException"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_changes_the_given_settings_and_keeps_the_rest()
    {
        var name = Unique("upd");
        await CreateProviderAsync(name, extra: ""","managedScaling":{"status":"ENABLED","targetCapacity":90,"instanceWarmupPeriod":60}""");

        var updated = (await OkAsync("UpdateCapacityProvider", $$"""
            {"name":"{{name}}","autoScalingGroupProvider":{"managedScaling":{"targetCapacity":50},"managedTerminationProtection":"ENABLED"} }
            """)).GetProperty("capacityProvider");

        Assert.Equal("UPDATE_COMPLETE", updated.GetProperty("updateStatus").GetString());
        var scaling = updated.GetProperty("autoScalingGroupProvider").GetProperty("managedScaling");
        Assert.Equal(50, scaling.GetProperty("targetCapacity").GetInt32());
        Assert.Equal(60, scaling.GetProperty("instanceWarmupPeriod").GetInt32());
        Assert.Equal("ENABLED", scaling.GetProperty("status").GetString());
        Assert.Equal("ENABLED", updated.GetProperty("autoScalingGroupProvider").GetProperty("managedTerminationProtection").GetString());

        Assert.Equal(CapacityProviderOperations.ReservedMessage, await ErrorAsync("UpdateCapacityProvider",
            """{"name":"FARGATE","autoScalingGroupProvider":{"managedDraining":"DISABLED"}}""", "ClientException"));
        Assert.Equal(CapacityProviderOperations.NotFoundMessage, await ErrorAsync("UpdateCapacityProvider",
            """{"name":"never-made","autoScalingGroupProvider":{"managedDraining":"DISABLED"}}""", "ClientException"));
    }

    [Fact]
    public async Task Delete_fails_while_associated_then_leaves_an_inactive_provider_that_is_still_described()
    {
        var name = Unique("del");
        var cluster = Unique("cp");
        await CreateProviderAsync(name);
        await OkAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}","capacityProviders":["{{name}}"],"defaultCapacityProviderStrategy":[{"capacityProvider":"{{name}}","weight":1}]}""");

        var failed = (await OkAsync("DeleteCapacityProvider", $$"""{"capacityProvider":"{{name}}"}""")).GetProperty("capacityProvider");
        Assert.Equal("ACTIVE", failed.GetProperty("status").GetString());
        Assert.Equal("DELETE_FAILED", failed.GetProperty("updateStatus").GetString());
        Assert.Equal($"The capacity provider cannot be deleted because it is associated with cluster: {cluster}. Remove the capacity provider from the cluster and try again.",
            failed.GetProperty("updateStatusReason").GetString());

        await OkAsync("PutClusterCapacityProviders", $$"""{"cluster":"{{cluster}}","capacityProviders":[],"defaultCapacityProviderStrategy":[]}""");
        var deleted = (await OkAsync("DeleteCapacityProvider", $$"""{"capacityProvider":"arn:aws:ecs:us-east-1:000000000000:capacity-provider/{{name}}"}""")).GetProperty("capacityProvider");
        Assert.Equal("INACTIVE", deleted.GetProperty("status").GetString());
        Assert.Equal("DELETE_COMPLETE", deleted.GetProperty("updateStatus").GetString());

        var described = await OkAsync("DescribeCapacityProviders", $$"""{"capacityProviders":["{{name}}"]}""");
        Assert.Equal("INACTIVE", described.GetProperty("capacityProviders")[0].GetProperty("status").GetString());
        Assert.Equal(CapacityProviderOperations.NotFoundMessage, await ErrorAsync("DeleteCapacityProvider", $$"""{"capacityProvider":"{{name}}"}""", "ClientException"));
        Assert.Equal(CapacityProviderOperations.ReservedMessage, await ErrorAsync("DeleteCapacityProvider", """{"capacityProvider":"FARGATE_SPOT"}""", "ClientException"));
        // An inactive provider's name and group can be used again.
        Assert.Equal("ACTIVE", (await CreateProviderAsync(name)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Tags_of_a_created_provider_are_managed_by_its_arn()
    {
        var arn = (await CreateProviderAsync(Unique("tag"))).GetProperty("capacityProviderArn").GetString();

        await OkAsync("TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"key":"env","value":"prod"}]}""");
        await OkAsync("UntagResource", $$"""{"resourceArn":"{{arn}}","tagKeys":["team"]}""");

        var tags = (await OkAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""")).GetProperty("tags");
        Assert.Equal("""[{"key":"env","value":"prod"}]""", tags.GetRawText());
        await ErrorAsync("TagResource", """{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE","tags":[{"key":"a","value":"b"}]}""",
            "InvalidParameterException");
    }

    [Fact]
    public async Task Describe_pages_through_every_provider_once()
    {
        var made = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // '-' and '_' order differently by culture than by ordinal (the store's order); paging must not care.
            made.Add((await CreateProviderAsync(Unique(i % 2 == 0 ? "pa_ge" : "pa-ge"))).GetProperty("name").GetString()!);
        }
        var seen = new List<string>();
        string? token = null;
        do
        {
            var body = await OkAsync("DescribeCapacityProviders", token is null ? """{"maxResults":3}""" : $$"""{"maxResults":3,"nextToken":"{{token}}"}""");
            var page = body.GetProperty("capacityProviders").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
            Assert.InRange(page.Count, 1, 3);
            seen.AddRange(page);
            token = body.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        Assert.Equal(["FARGATE", "FARGATE_SPOT"], seen.Take(2));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(made, name => Assert.Contains(name, seen));
        Assert.Contains("maxResults must be between 1 and 10", await ErrorAsync("DescribeCapacityProviders", """{"maxResults":11}""", "InvalidParameterException"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_replaces_the_providers_and_default_strategy_and_refuses_unknown_mixed_or_in_use_providers()
    {
        var cluster = Unique("put");
        var provider = Unique("ng");
        await CreateProviderAsync(provider);
        await OkAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");

        var put = (await OkAsync("PutClusterCapacityProviders", $$"""
            {"cluster":"{{cluster}}","capacityProviders":["FARGATE","FARGATE_SPOT","{{provider}}"],
             "defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":1,"weight":1},{"capacityProvider":"FARGATE_SPOT","weight":3}]}
            """)).GetProperty("cluster");
        Assert.Equal(["FARGATE", "FARGATE_SPOT", provider], put.GetProperty("capacityProviders").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("""[{"capacityProvider":"FARGATE","weight":1,"base":1},{"capacityProvider":"FARGATE_SPOT","weight":3,"base":0}]""",
            put.GetProperty("defaultCapacityProviderStrategy").GetRawText());
        var described = (await OkAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""")).GetProperty("clusters")[0];
        Assert.Equal(put.GetProperty("defaultCapacityProviderStrategy").GetRawText(), described.GetProperty("defaultCapacityProviderStrategy").GetRawText());

        Assert.Equal($"{ClusterOperations.ProviderNotFoundMessage} (capacityProviders[1]: nope)", await ErrorAsync("PutClusterCapacityProviders",
            $$"""{"cluster":"{{cluster}}","capacityProviders":["FARGATE","nope"],"defaultCapacityProviderStrategy":[]}""", "InvalidParameterException"));
        Assert.Equal(CapacityStrategy.MixedMessage, await ErrorAsync("PutClusterCapacityProviders",
            $$"""{"cluster":"{{cluster}}","capacityProviders":["FARGATE","{{provider}}"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1},{"capacityProvider":"{{provider}}","weight":1}]}""",
            "InvalidParameterException"));
        Assert.Equal(CapacityStrategy.NotAssociatedMessage, await ErrorAsync("PutClusterCapacityProviders",
            $$"""{"cluster":"{{cluster}}","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}]}""",
            "InvalidParameterException"));
        Assert.Equal("ClusterNotFoundException", (await host.CallAsync("PutClusterCapacityProviders",
            """{"cluster":"no-such-cluster","capacityProviders":[],"defaultCapacityProviderStrategy":[]}""")).Body.GetProperty("__type").GetString());

        // A service whose strategy uses FARGATE_SPOT (as the launch code stores it) keeps it associated.
        await StoreServiceAsync(cluster, "spotty", s => s with
        {
            LaunchType = null,
            CapacityProviderStrategy = [new CapacityProviderStrategyItem { CapacityProvider = "FARGATE_SPOT", Weight = 1, Base = 0 }],
        });
        Assert.Equal(ClusterOperations.ProviderInUseMessage, await ErrorAsync("PutClusterCapacityProviders",
            $$"""{"cluster":"{{cluster}}","capacityProviders":["FARGATE","{{provider}}"],"defaultCapacityProviderStrategy":[]}""", "ResourceInUseException"));
        // Removing one nothing uses is fine.
        await OkAsync("PutClusterCapacityProviders", $$"""{"cluster":"{{cluster}}","capacityProviders":["FARGATE","FARGATE_SPOT"],"defaultCapacityProviderStrategy":[]}""");
    }

    [Fact]
    public async Task Statistics_count_tasks_and_services_by_launch_type()
    {
        var cluster = Unique("stats");
        await OkAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var empty = (await OkAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"],"include":["STATISTICS"]}""")).GetProperty("clusters")[0];
        Assert.Equal(
            [
                "runningEC2TasksCount", "runningFargateTasksCount", "pendingEC2TasksCount", "pendingFargateTasksCount",
                "runningExternalTasksCount", "pendingExternalTasksCount", "activeEC2ServiceCount", "activeFargateServiceCount",
                "drainingEC2ServiceCount", "drainingFargateServiceCount", "activeExternalServiceCount", "drainingExternalServiceCount",
            ],
            empty.GetProperty("statistics").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(empty.GetProperty("statistics").EnumerateArray(), s => Assert.Equal("0", s.GetProperty("value").GetString()));

        // One pending EC2 task (no agent runs it) and, written as the Fargate launch code will, one running Fargate task.
        await OkAsync("RegisterContainerInstance", $$"""
            {"cluster":"{{cluster}}","instanceIdentityDocument":"{\"instanceId\":\"i-stats\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":1024},{"name":"MEMORY","type":"INTEGER","integerValue":1024}]}
            """);
        await OkAsync("RegisterTaskDefinition", """{"family":"stats","containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}""");
        var task = (await OkAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"stats"}""")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var documents = new Documents(host.Store, AwsJson.Options);
        var stored = (await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(task)), CancellationToken.None))!.Value;
        var fargate = stored with
        {
            Task = stored.Task with { TaskArn = task[..^8] + "fargate1", LaunchType = "FARGATE", CapacityProviderName = "FARGATE", LastStatus = "RUNNING" },
            Counted = TaskCounter.Running,
        };
        await documents.Store.CommitAsync([documents.Put(Kinds.Task, Kinds.InCluster(cluster, fargate.Id), fargate, WriteOp.MustNotExist)], CancellationToken.None);
        // An EC2 service, a Fargate one, a draining Fargate one (by its strategy).
        await StoreServiceAsync(cluster, "ec2", s => s);
        await StoreServiceAsync(cluster, "fg", s => s with { LaunchType = "FARGATE" });
        await StoreServiceAsync(cluster, "fg-old", s => s with
        {
            LaunchType = null,
            Status = "DRAINING",
            CapacityProviderStrategy = [new CapacityProviderStrategyItem { CapacityProvider = "FARGATE_SPOT", Weight = 1 }],
        });

        var statistics = (await OkAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"],"include":["STATISTICS"]}""")).GetProperty("clusters")[0]
            .GetProperty("statistics").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString());
        Assert.Equal("1", statistics["pendingEC2TasksCount"]);
        Assert.Equal("1", statistics["runningFargateTasksCount"]);
        Assert.Equal("0", statistics["runningEC2TasksCount"]);
        Assert.Equal("1", statistics["activeEC2ServiceCount"]);
        Assert.Equal("1", statistics["activeFargateServiceCount"]);
        Assert.Equal("1", statistics["drainingFargateServiceCount"]);
        Assert.Equal("0", statistics["drainingEC2ServiceCount"]);

        var without = (await OkAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""")).GetProperty("clusters")[0];
        Assert.Equal(0, without.GetProperty("statistics").GetArrayLength());
    }

    /// <summary>Stores a service record the way the service API does (desired count 0), shaped by <paramref name="shape"/>.</summary>
    private async Task StoreServiceAsync(string cluster, string name, Func<Service, Service> shape)
    {
        await OkAsync("RegisterTaskDefinition", """{"family":"svc","containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}""");
        await OkAsync("CreateService", $$"""{"cluster":"{{cluster}}","serviceName":"{{name}}","taskDefinition":"svc","desiredCount":0,"launchType":"EC2"}""");
        var documents = new Documents(host.Store, AwsJson.Options);
        await documents.UpdateAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster, name), record => record! with { Service = shape(record.Service) }, CancellationToken.None);
    }
}
