using System.Text.Json;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Domain.TaskDefinitions;
using Gantry.Store;

namespace Gantry.Api.Tests.Tasks;

/// <summary>
/// RunTask's awsvpc subnets and security groups against the EC2 network: ones that do not exist are a 400 in ECS's
/// words (quoting EC2's) with nothing stored; without groups the task keeps its VPC's default group.
/// </summary>
public sealed class AwsvpcNetworkTests(AwsvpcNetworkTests.Host host) : IClassFixture<AwsvpcNetworkTests.Host>
{
    /// <summary>A host without background loops, so an unchanged store revision means nothing was written.</summary>
    public sealed class Host : ApiTestHost
    {
        public Host() => RunsBackgroundLoops = false;
    }

    [Fact]
    public async Task An_unknown_subnet_is_refused_in_ECS_words_and_nothing_is_stored()
    {
        var cluster = await SetUpAsync();
        var before = host.Store.CurrentRevision;

        var (status, body) = await RunAsync(cluster, """{"subnets":["subnet-1"]}""");

        Assert.True(status == 400, body.ToString());
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Equal("Error retrieving subnet information for [subnet-1]: The subnet ID 'subnet-1' does not exist "
            + "(Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)", body.GetProperty("message").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    [Fact]
    public async Task An_unknown_security_group_is_refused_in_ECS_words_and_nothing_is_stored()
    {
        var cluster = await SetUpAsync();
        var subnet = await host.DefaultSubnetAsync();
        var before = host.Store.CurrentRevision;

        var (status, body) = await RunAsync(cluster, $$"""{"subnets":["{{subnet}}"],"securityGroups":["sg-0123456789abcdef0"]}""");

        Assert.True(status == 400, body.ToString());
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Equal("Error retrieving security group information for [sg-0123456789abcdef0]: The security group 'sg-0123456789abcdef0' does not exist "
            + "(Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)", body.GetProperty("message").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Without_security_groups_the_task_keeps_its_VPCs_default_group()
    {
        var cluster = await SetUpAsync();
        var subnet = await host.DefaultSubnetAsync();
        var defaultGroup = (await host.Networks.DefaultSecurityGroupAsync(host.Networks.DefaultVpcId, CancellationToken.None)).Id;

        var (status, body) = await RunAsync(cluster, $$"""{"subnets":["{{subnet}}"]}""");

        Assert.True(status == 200, body.ToString());
        var arn = Assert.Single(body.GetProperty("tasks").EnumerateArray()).GetProperty("taskArn").GetString()!;
        var stored = (await new Documents(host.Store, AwsJson.Options).GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(arn)),
            CancellationToken.None))!.Value;
        var awsvpc = stored.Network!.AwsvpcConfiguration!;
        Assert.Equal([subnet], awsvpc.Subnets);
        Assert.Equal([defaultGroup], awsvpc.SecurityGroups);
    }

    [Fact]
    public async Task An_awsvpc_task_gets_an_interface_of_its_subnet_that_goes_when_it_stops()
    {
        var cluster = await SetUpAsync();
        var subnet = (await host.Networks.DefaultSubnetsAsync(CancellationToken.None))[0];

        var (status, body) = await RunAsync(cluster, $$"""{"subnets":["{{subnet.Id}}"]}""");

        Assert.True(status == 200, body.ToString());
        var task = Assert.Single(body.GetProperty("tasks").EnumerateArray());
        var arn = task.GetProperty("taskArn").GetString()!;
        var documents = new Documents(host.Store, AwsJson.Options);
        var key = Kinds.InCluster(cluster, EcsArns.TaskId(arn));
        var stored = (await documents.GetAsync<TaskRecord>(Kinds.Task, key, CancellationToken.None))!.Value;
        var eni = stored.Interface!;
        var attachmentDetails = task.GetProperty("attachments")[0].GetProperty("details").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("value").GetString());
        Assert.Equal((subnet.Id, eni.Id), (attachmentDetails["subnetId"], attachmentDetails["networkInterfaceId"]));
        Assert.Equal((subnet.Id, subnet.CidrBlock), (eni.SubnetId, eni.SubnetCidr));
        Assert.True(System.Net.IPNetwork.Parse(subnet.CidrBlock).Contains(System.Net.IPAddress.Parse(eni.Address)));
        var described = await host.Networks.FindInterfaceAsync(eni.Id, CancellationToken.None);
        Assert.Equal((eni.Address, arn, "in-use"), (described!.PrivateIpAddress, described.TaskArn, described.Status));

        var updater = new TaskStateUpdater(documents, TimeProvider.System);
        Assert.Equal(ReportOutcome.Applied, await updater.ApplyAsync(new Agent.Protocol.TaskState { TaskArn = arn, LastStatus = "STOPPED" }, [stored.AgentArn],
            CancellationToken.None));

        Assert.Null(await host.Networks.FindInterfaceAsync(eni.Id, CancellationToken.None));
        Assert.Null(await documents.GetAsync<ControlPlane.Networks.AddressClaim>(ControlPlane.Networks.NetworkKinds.Address, eni.AddressKey, CancellationToken.None));
    }

    private Task<(int Status, JsonElement Body)> RunAsync(string cluster, string awsvpc) => host.CallAsync("RunTask",
        $$$"""{"cluster":"{{{cluster}}}","taskDefinition":"vpc-net","networkConfiguration":{"awsvpcConfiguration":{{{awsvpc}}}}}""");

    /// <summary>A cluster with one instance that can run the awsvpc definition <c>vpc-net</c>, and the default network made.</summary>
    private async Task<string> SetUpAsync()
    {
        await host.DefaultSubnetAsync();
        var cluster = $"vpc-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var attributes = JsonSerializer.Serialize(AgentCapabilities.All.Select(name => new { name }));
        var (registered, instance) = await host.CallAsync("RegisterContainerInstance", $$$"""
            {"cluster":"{{{cluster}}}","instanceIdentityDocument":"{\"instanceId\":\"i-{{{Guid.NewGuid():N}}}\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":2048}],
             "attributes":{{{attributes}}}}
            """);
        Assert.True(registered == 200, instance.ToString());
        var (defined, definition) = await host.CallAsync("RegisterTaskDefinition",
            """{"family":"vpc-net","networkMode":"awsvpc","containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}""");
        Assert.True(defined == 200, definition.ToString());
        return cluster;
    }
}
