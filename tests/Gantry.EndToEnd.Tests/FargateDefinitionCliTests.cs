using System.Text.Json.Nodes;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// The standard Fargate task definition (busybox httpd for httpd:2.4) through the real AWS CLI on `gantry dev`: its
/// roles and awslogs never block placement on the local EC2 node; and what Gantry refuses comes back through the CLI
/// with its message, storing nothing.
/// </summary>
public sealed class FargateDefinitionCliTests(DevFixture dev) : IClassFixture<DevFixture>
{
    private AwsCli Aws => dev.Aws;

    /// <summary>The awsvpc configuration of a launch: the default VPC's default subnet (ECS refuses subnets that do not exist).</summary>
    private async Task<string> NetworkAsync() => $"awsvpcConfiguration={{subnets=[{await Aws.DefaultSubnetAsync()}]}}";

    /// <summary>The published Fargate sample with busybox httpd, an execution role, a task role and awslogs.</summary>
    private string SampleFile(string family, Action<JsonObject>? edit = null)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fargate-sample.json")))!.AsObject();
        definition["family"] = family;
        definition["executionRoleArn"] = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole";
        definition["taskRoleArn"] = "arn:aws:iam::000000000000:role/sample-app";
        var container = definition["containerDefinitions"]![0]!.AsObject();
        container["image"] = "busybox";
        container["command"] = new JsonArray("mkdir -p /www && echo 'Amazon ECS Sample App' > /www/index.html && exec httpd -f -p 80 -h /www");
        container["logConfiguration"] = JsonNode.Parse("""
            {"logDriver":"awslogs","options":{"awslogs-group":"/ecs/sample-fargate","awslogs-region":"us-east-1",
             "awslogs-stream-prefix":"ecs","awslogs-create-group":"true"}}
            """);
        edit?.Invoke(definition);
        var path = Path.Combine(dev.Gantry.Home, $"{family}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, definition.ToJsonString());
        return $"file://{path}";
    }

    [Fact]
    public async Task The_Fargate_sample_with_roles_and_awslogs_runs_on_the_dev_node_and_serves_its_page()
    {
        var registered = (await Aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile("e2e-fargate-sample")))
            .GetProperty("taskDefinition");
        Assert.Equal("arn:aws:iam::000000000000:role/ecsTaskExecutionRole", registered.GetProperty("executionRoleArn").GetString());
        Assert.DoesNotContain(registered.GetProperty("requiresAttributes").EnumerateArray(),
            a => a.GetProperty("name").GetString()!.Contains("role", StringComparison.Ordinal));

        var run = await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-fargate-sample", "--network-configuration", await NetworkAsync());
        Assert.Empty(run.GetProperty("failures").EnumerateArray());
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        var task = (await Aws.OkAsync("ecs", "describe-tasks", "--tasks", arn)).GetProperty("tasks")[0];
        var address = task.GetProperty("containers")[0].GetProperty("networkInterfaces")[0].GetProperty("privateIpv4Address").GetString();
        Assert.Equal("Amazon ECS Sample App\n", await TaskCliTests.FirstAnswerAsync(new Uri($"http://{address}:80/")));
        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
    }

    [Fact]
    public async Task Refusals_come_back_through_the_CLI_with_their_message_and_store_nothing()
    {
        var secrets = await Aws.RunAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile("e2e-refused-secrets", d =>
            d["containerDefinitions"]![0]!["secrets"] = JsonNode.Parse("""[{"name":"DB","valueFrom":"arn:aws:secretsmanager:us-east-1:000000000000:secret:db"}]""")));
        AssertRefused(secrets, "ClientException", "containerDefinitions[0].secrets is not supported by Gantry yet.");

        var size = await Aws.RunAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile("e2e-refused-size", d => d["memory"] = "4 GB"));
        AssertRefused(size, "ClientException", "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.");

        var noRole = await Aws.RunAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile("e2e-refused-role", d => d.Remove("executionRoleArn")));
        AssertRefused(noRole, "ClientException", "Fargate requires task definition to have execution role ARN to support log driver awslogs.");

        var families = await Aws.OkAsync("ecs", "list-task-definition-families", "--family-prefix", "e2e-refused");
        Assert.Empty(families.GetProperty("families").EnumerateArray());

        await Aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile("e2e-fargate-launch"));
        var network = await NetworkAsync();
        var platform = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-fargate-launch", "--network-configuration", network, "--platform-version", "1.3.0");
        AssertRefused(platform, "PlatformUnknownException", "The specified platform version doesn't exist: '1.3.0'. Use LATEST or 1.4.0.");
        var ec2Platform = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-fargate-launch", "--network-configuration", network,
            "--launch-type", "EC2", "--platform-version", "LATEST");
        AssertRefused(ec2Platform, "InvalidParameterException", "The platform version must be null when specifying an EC2 launch type.");
        var service = await Aws.RunAsync("ecs", "create-service", "--service-name", "e2e-refused-lb", "--task-definition", "e2e-fargate-launch",
            "--desired-count", "1", "--network-configuration", network,
            "--load-balancers", "targetGroupArn=arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef,containerName=fargate-app,containerPort=80");
        AssertRefused(service, "InvalidParameterException",
            "Unable to validate the specified targetGroupArn arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef: the target group does not exist.");
        var registries = await Aws.RunAsync("ecs", "create-service", "--service-name", "e2e-refused-sd", "--task-definition", "e2e-fargate-launch",
            "--desired-count", "1", "--network-configuration", network,
            "--service-registries", "registryArn=arn:aws:servicediscovery:us-east-1:000000000000:service/srv-0123456789abcdef");
        AssertRefused(registries, "InvalidParameterException",
            "The service registry arn:aws:servicediscovery:us-east-1:000000000000:service/srv-0123456789abcdef does not exist.");
        var codeDeploy = await Aws.RunAsync("ecs", "create-service", "--service-name", "e2e-refused-cd", "--task-definition", "e2e-fargate-launch",
            "--desired-count", "1", "--network-configuration", network, "--deployment-controller", "type=CODE_DEPLOY");
        AssertRefused(codeDeploy, "InvalidParameterException", "deploymentController.type CODE_DEPLOY is not supported by Gantry yet.");

        var tasks = await Aws.OkAsync("ecs", "list-tasks", "--family", "e2e-fargate-launch");
        Assert.Empty(tasks.GetProperty("taskArns").EnumerateArray());
        var services = await Aws.OkAsync("ecs", "describe-services", "--services", "e2e-refused-lb", "e2e-refused-sd", "e2e-refused-cd");
        Assert.All(services.GetProperty("failures").EnumerateArray(), f => Assert.Equal("MISSING", f.GetProperty("reason").GetString()));
        Assert.Equal(3, services.GetProperty("failures").GetArrayLength());
    }

    /// <summary>Each refusal of a Fargate definition, through the CLI with its exact type and message; nothing is stored.
    /// <paramref name="target"/> says where <paramref name="patch"/> goes: the definition (d) or its container (c).</summary>
    [Theory]
    [InlineData("d", """{"networkMode":"bridge"}""", "ClientException", "Fargate only supports network mode \u2018awsvpc\u2019.")]
    [InlineData("d", """{"cpu":"512","memory":"512"}""", "ClientException", "No Fargate configuration exists for given values: 512 CPU, 512 memory. See the Amazon ECS documentation for the valid values.")]
    [InlineData("d", """{"pidMode":"host"}""", "ClientException", "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.")]
    [InlineData("d", """{"pidMode":"task"}""", "ClientException", "pidMode is not supported by Gantry yet.")]
    [InlineData("d", """{"ipcMode":"task"}""", "ClientException", "Tasks using the Fargate launch type do not support ipcMode.")]
    [InlineData("d", """{"volumes":[{"name":"v","host":{"sourcePath":"/etc"}}]}""", "ClientException", "Fargate compatible task definitions do not support sourcePath (volumes[0].host.sourcePath).")]
    [InlineData("d", """{"volumes":[{"name":"v","dockerVolumeConfiguration":{"scope":"task"}}]}""", "ClientException", "Fargate compatible task definitions do not support dockerVolumeConfiguration (volumes[0].dockerVolumeConfiguration).")]
    [InlineData("d", """{"volumes":[{"name":"v","efsVolumeConfiguration":{"fileSystemId":"fs-1"}}]}""", "ClientException", "volumes[0].efsVolumeConfiguration is not supported by Gantry yet.")]
    [InlineData("d", """{"proxyConfiguration":{"containerName":"fargate-app","properties":[]}}""", "ClientException", "proxyConfiguration is not supported by Gantry yet.")]
    [InlineData("c", """{"privileged":true}""", "ClientException", "Fargate compatible task definitions do not support privileged (containerDefinitions[0].privileged).")]
    [InlineData("c", """{"linuxParameters":{"devices":[{"hostPath":"/dev/fuse"}]}}""", "ClientException", "Fargate compatible task definitions do not support devices (containerDefinitions[0].linuxParameters.devices).")]
    [InlineData("c", """{"portMappings":[{"containerPort":80,"hostPort":8080}]}""", "ClientException", "Invalid 'containerDefinitions[0].portMappings[0].hostPort': with networkMode awsvpc the host port must be omitted or equal the container port (80).")]
    [InlineData("c", """{"stopTimeout":121}""", "InvalidParameterException", "Invalid 'containerDefinitions[0].stopTimeout': 121 is outside the allowed range 0-120.")]
    [InlineData("c", """{"startTimeout":1}""", "InvalidParameterException", "Invalid 'containerDefinitions[0].startTimeout': 1 is outside the allowed range 2-120.")]
    [InlineData("c", """{"environmentFiles":[{"value":"arn:aws:s3:::bucket/app.env","type":"s3"}]}""", "ClientException", "containerDefinitions[0].environmentFiles is not supported by Gantry yet.")]
    [InlineData("c", """{"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:000000000000:secret:hub"}}""", "ClientException", "containerDefinitions[0].repositoryCredentials is not supported by Gantry yet.")]
    [InlineData("c", """{"firelensConfiguration":{"type":"fluentbit"}}""", "ClientException", "containerDefinitions[0].firelensConfiguration is not supported by Gantry yet.")]
    [InlineData("c", """{"resourceRequirements":[{"type":"GPU","value":"1"}]}""", "ClientException", "containerDefinitions[0].resourceRequirements[0] of type GPU is not supported by Gantry yet.")]
    public async Task Each_refusal_comes_back_through_the_CLI_with_its_message(string target, string patch, string errorType, string message)
    {
        var family = $"e2e-refusal-{Guid.NewGuid():N}"[..24];
        var result = await Aws.RunAsync("ecs", "register-task-definition", "--cli-input-json", SampleFile(family, d =>
        {
            var into = target == "d" ? d : d["containerDefinitions"]![0]!.AsObject();
            foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
            {
                into[key] = value?.DeepClone();
            }
        }));
        AssertRefused(result, errorType, message);
        Assert.Empty((await Aws.OkAsync("ecs", "list-task-definition-families", "--family-prefix", family)).GetProperty("families").EnumerateArray());
    }

    /// <summary>The CLI failed with "An error occurred (Type) when calling the X operation: message".</summary>
    private static void AssertRefused(AwsCliResult result, string errorType, string message)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"({errorType})", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($": {message}", result.StandardError, StringComparison.Ordinal);
    }
}
