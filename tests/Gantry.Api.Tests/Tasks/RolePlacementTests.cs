using System.Text.Json;
using Gantry.Domain.TaskDefinitions;
using Gantry.Domain.Tests.TaskDefinitions;

namespace Gantry.Api.Tests.Tasks;

/// <summary>
/// Roles never block placement: a definition with executionRoleArn, taskRoleArn and awslogs records both roles,
/// requires only capabilities Gantry agents advertise, and RunTask places it on an instance advertising exactly those.
/// </summary>
public sealed class RolePlacementTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string ExecutionRole = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    private const string TaskRole = "arn:aws:iam::123456789012:role/app";

    private static string Definition(string family) => TaskDefinitionRefusals.PatchedJson("fargate", """
        {"family":"FAMILY","executionRoleArn":"EXECUTION_ROLE","taskRoleArn":"TASK_ROLE",
         "containerDefinitions[0]":{"healthCheck":{"command":["CMD-SHELL","true"]},
           "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/roles","awslogs-region":"us-east-1","awslogs-stream-prefix":"r"}}}}
        """.Replace("FAMILY", family, StringComparison.Ordinal).Replace("EXECUTION_ROLE", ExecutionRole, StringComparison.Ordinal)
        .Replace("TASK_ROLE", TaskRole, StringComparison.Ordinal)).ToJsonString();

    [Fact]
    public async Task Roles_are_recorded_and_add_no_requirement_an_agent_lacks()
    {
        var (status, body) = await host.CallAsync("RegisterTaskDefinition", Definition("roles-recorded"));
        Assert.True(status == 200, body.ToString());
        var definition = body.GetProperty("taskDefinition");
        Assert.Equal(ExecutionRole, definition.GetProperty("executionRoleArn").GetString());
        Assert.Equal(TaskRole, definition.GetProperty("taskRoleArn").GetString());
        var required = definition.GetProperty("requiresAttributes").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList();
        Assert.Equal([AgentCapabilities.LoggingDriverAwslogs, AgentCapabilities.ContainerHealthCheck, AgentCapabilities.TaskEni], required);
        Assert.All(required, name => Assert.Contains(name, AgentCapabilities.All));
    }

    [Fact]
    public async Task RunTask_places_a_Fargate_definition_with_roles_and_awslogs_on_an_agent_instance()
    {
        var cluster = $"roles-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var attributes = JsonSerializer.Serialize(AgentCapabilities.All.Select(name => new { name }));
        var (registered, instance) = await host.CallAsync("RegisterContainerInstance", $$$"""
            {"cluster":"{{{cluster}}}","instanceIdentityDocument":"{\"instanceId\":\"i-{{{Guid.NewGuid():N}}}\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":2048}],
             "attributes":{{{attributes}}}}
            """);
        Assert.True(registered == 200, instance.ToString());
        await host.CallAsync("RegisterTaskDefinition", Definition("roles-placed"));
        var subnet = await host.DefaultSubnetAsync();

        var (status, body) = await host.CallAsync("RunTask", $$$"""
            {"cluster":"{{{cluster}}}","taskDefinition":"roles-placed","networkConfiguration":{"awsvpcConfiguration":{"subnets":["{{{subnet}}}"]}},
             "overrides":{"taskRoleArn":"{{{TaskRole}}}-override","executionRoleArn":"{{{ExecutionRole}}}"}}
            """);

        Assert.True(status == 200, body.ToString());
        Assert.Empty(body.GetProperty("failures").EnumerateArray());
        var task = Assert.Single(body.GetProperty("tasks").EnumerateArray());
        Assert.Equal($"{TaskRole}-override", task.GetProperty("overrides").GetProperty("taskRoleArn").GetString());
        Assert.Equal(ExecutionRole, task.GetProperty("overrides").GetProperty("executionRoleArn").GetString());
    }
}
