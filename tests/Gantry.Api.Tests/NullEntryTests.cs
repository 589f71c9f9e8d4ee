namespace Gantry.Api.Tests;

/// <summary>
/// A null list element or map value is a 400 SerializationException naming the entry, for every operation: no
/// collection in the ECS, ECR or Logs models is sparse. These are the requests that answered 500 (issue 12 item 5)
/// and the ones that stored a null (command, entryPoint, dockerLabels, awslogs options).
/// </summary>
public sealed class NullEntryTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921";
    private const string Logs = "Logs_20140328";

    private static string Container(string member) => $$"""{"family":"fx","containerDefinitions":[{"name":"a","image":"i","memory":64,{{member}}}]}""";

    public static TheoryData<string, string, string, string> Requests => new()
    {
        { Logs, "PutLogEvents", """{"logGroupName":"/fx","logStreamName":"s","logEvents":[null]}""", "logEvents[0]" },
        { Ecs, "CreateCluster", """{"clusterName":"fx","tags":[null]}""", "tags[0]" },
        { Ecs, "CreateCluster", """{"clusterName":"fx","settings":[{"name":"containerInsights","value":"enabled"},null]}""", "settings[1]" },
        { Ecs, "DescribeClusters", """{"clusters":[null]}""", "clusters[0]" },
        { Ecs, "RegisterTaskDefinition", """{"family":"fx","containerDefinitions":[null]}""", "containerDefinitions[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"environment\":[null]"), "containerDefinitions[0].environment[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"portMappings\":[null]"), "containerDefinitions[0].portMappings[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"mountPoints\":[null]"), "containerDefinitions[0].mountPoints[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"volumesFrom\":[null]"), "containerDefinitions[0].volumesFrom[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"ulimits\":[null]"), "containerDefinitions[0].ulimits[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"dependsOn\":[null]"), "containerDefinitions[0].dependsOn[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"links\":[null]"), "containerDefinitions[0].links[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"command\":[null]"), "containerDefinitions[0].command[0]" },
        { Ecs, "RegisterTaskDefinition", Container("\"entryPoint\":[\"sh\",null]"), "containerDefinitions[0].entryPoint[1]" },
        { Ecs, "RegisterTaskDefinition", Container("\"dockerLabels\":{\"a\":null}"), "containerDefinitions[0].dockerLabels['a']" },
        {
            Ecs, "RegisterTaskDefinition",
            Container("\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":null}}"),
            "containerDefinitions[0].logConfiguration.options['awslogs-group']"
        },
        { Ecs, "RegisterTaskDefinition", """{"family":"fx","containerDefinitions":[{"name":"a","image":"i","memory":64}],"volumes":[null]}""", "volumes[0]" },
        { Ecs, "RegisterTaskDefinition", """{"family":"fx","containerDefinitions":[{"name":"a","image":"i","memory":64}],"placementConstraints":[null]}""", "placementConstraints[0]" },
        { Ecs, "RegisterTaskDefinition", """{"family":"fx","containerDefinitions":[{"name":"a","image":"i","memory":64}],"tags":[null]}""", "tags[0]" },
        { Ecs, "RunTask", """{"taskDefinition":"fx","overrides":{"containerOverrides":[null]}}""", "overrides.containerOverrides[0]" },
        { Ecs, "RunTask", """{"taskDefinition":"fx","placementConstraints":[null]}""", "placementConstraints[0]" },
        { Ecs, "RunTask", """{"taskDefinition":"fx","placementStrategy":[null]}""", "placementStrategy[0]" },
        { Ecs, "StartTask", """{"taskDefinition":"fx","containerInstances":[null]}""", "containerInstances[0]" },
        { Ecs, "DescribeTasks", """{"tasks":[null]}""", "tasks[0]" },
        { Ecs, "DescribeContainerInstances", """{"containerInstances":[null]}""", "containerInstances[0]" },
        { Ecs, "UpdateContainerInstancesState", """{"containerInstances":[null],"status":"DRAINING"}""", "containerInstances[0]" },
        { Ecs, "PutAttributes", """{"attributes":[null]}""", "attributes[0]" },
        { Ecs, "DeleteAttributes", """{"attributes":[null]}""", "attributes[0]" },
        { Ecs, "RegisterContainerInstance", """{"totalResources":[null]}""", "totalResources[0]" },
        { Ecs, "DeleteTaskDefinitions", """{"taskDefinitions":[null]}""", "taskDefinitions[0]" },
        { Ecs, "TagResource", """{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:cluster/fx","tags":[null]}""", "tags[0]" },
        { Ecr, "CreateRepository", """{"repositoryName":"fx","tags":[null]}""", "tags[0]" },
        { Ecr, "BatchGetImage", """{"repositoryName":"fx","imageIds":[null]}""", "imageIds[0]" },
        { Ecr, "BatchDeleteImage", """{"repositoryName":"fx","imageIds":[null]}""", "imageIds[0]" },
        { Ecr, "DescribeImages", """{"repositoryName":"fx","imageIds":[null]}""", "imageIds[0]" },
        { Ecr, "TagResource", """{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/fx","tags":[null]}""", "tags[0]" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_null_entry_is_a_SerializationException_naming_it_and_changes_nothing(string service, string operation, string json, string entry)
    {
        var before = host.Store.CurrentRevision;
        var (status, body) = await host.CallAsync(operation, json, service);
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
        Assert.Contains($"'{entry}'", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Lists_and_maps_without_null_entries_still_bind()
    {
        var (status, body) = await host.CallAsync("RegisterTaskDefinition",
            Container("\"command\":[\"sh\",\"-c\",\"\"],\"dockerLabels\":{\"a\":\"\"},\"environment\":[{\"name\":\"A\",\"value\":\"\"}]"), Ecs);
        Assert.Equal(200, status);
        var container = body.GetProperty("taskDefinition").GetProperty("containerDefinitions")[0];
        Assert.Equal(3, container.GetProperty("command").GetArrayLength());
        Assert.Equal("", container.GetProperty("dockerLabels").GetProperty("a").GetString());
    }
}
