using Gantry.Api.Ecs;
using Gantry.ControlPlane.Capacity;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tests.TaskDefinitions;

namespace Gantry.Api.Tests.Tasks;

/// <summary>
/// RunTask, StartTask, CreateService and UpdateService members Gantry does not do yet, the platformVersion rules and
/// references to what does not exist (a target group, a service registry): each a 400 in the AWS error shape with its
/// exact message, and nothing stored.
/// </summary>
public sealed class LaunchRefusalTests(LaunchRefusalTests.Host host) : IClassFixture<LaunchRefusalTests.Host>
{
    /// <summary>Stands for the default subnet's id in request text (ECS refuses subnets that do not exist).</summary>
    private const string Subnet = "DEFAULT_SUBNET";
    private const string Network = $"\"networkConfiguration\":{{\"awsvpcConfiguration\":{{\"subnets\":[\"{Subnet}\"]}}}}";

    /// <summary>A host without background loops, so an unchanged store revision means nothing was written.</summary>
    public sealed class Host : ApiTestHost
    {
        public Host() => RunsBackgroundLoops = false;
    }

    /// <summary>Each case: the operation, the members added to a valid request, the error type and the exact message.</summary>
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "RunTask", "\"platformVersion\":\"1.3.0\"", "PlatformUnknownException", "The specified platform version doesn't exist: '1.3.0'. Use LATEST or 1.4.0." },
        { "RunTask", "\"launchType\":\"EC2\",\"platformVersion\":\"LATEST\"", "InvalidParameterException", "The platform version must be null when specifying an EC2 launch type." },
        { "RunTask", "\"overrides\":{\"containerOverrides\":[{\"name\":\"fargate-app\",\"environmentFiles\":[{\"value\":\"arn:aws:s3:::b/app.env\",\"type\":\"s3\"}]}]}", "InvalidParameterException", "overrides.containerOverrides[0].environmentFiles is not supported by Gantry yet." },
        { "RunTask", "\"overrides\":{\"containerOverrides\":[{\"name\":\"fargate-app\",\"resourceRequirements\":[{\"type\":\"GPU\",\"value\":\"1\"}]}]}", "InvalidParameterException", "overrides.containerOverrides[0].resourceRequirements[0] of type GPU is not supported by Gantry yet." },
        { "RunTask", "\"overrides\":{\"inferenceAcceleratorOverrides\":[{\"deviceName\":\"d1\",\"deviceType\":\"eia2.medium\"}]}", "InvalidParameterException", "overrides.inferenceAcceleratorOverrides is not supported by Gantry yet." },
        { "RunTask", "\"overrides\":{\"ephemeralStorage\":{\"sizeInGiB\":30}}", "InvalidParameterException", "overrides.ephemeralStorage is only supported for tasks on Fargate." },
        { "RunTask", "\"enableExecuteCommand\":true", "InvalidParameterException", "enableExecuteCommand is not supported by Gantry yet." },
        { "RunTask", "\"volumeConfigurations\":[{\"name\":\"data\",\"managedEBSVolume\":{\"roleArn\":\"arn:aws:iam::1:role/ebs\"}}]", "InvalidParameterException", "volumeConfigurations is not supported by Gantry yet." },
        { "StartTask", "\"overrides\":{\"containerOverrides\":[{\"name\":\"fargate-app\",\"environmentFiles\":[{\"value\":\"arn:aws:s3:::b/app.env\",\"type\":\"s3\"}]}]}", "InvalidParameterException", "overrides.containerOverrides[0].environmentFiles is not supported by Gantry yet." },
        { "CreateService", "\"platformVersion\":\"1.0.0\"", "PlatformUnknownException", "The specified platform version doesn't exist: '1.0.0'. Use LATEST or 1.4.0." },
        { "CreateService", "\"launchType\":\"EC2\",\"platformVersion\":\"1.4.0\"", "InvalidParameterException", "The platform version must be null when specifying an EC2 launch type." },
        { "CreateService", "\"deploymentController\":{\"type\":\"CODE_DEPLOY\"}", "InvalidParameterException", "deploymentController.type CODE_DEPLOY is not supported by Gantry yet." },
        { "CreateService", "\"deploymentController\":{\"type\":\"EXTERNAL\"}", "InvalidParameterException", "deploymentController.type EXTERNAL is not supported by Gantry yet." },
        { "CreateService", "\"deploymentController\":{\"type\":\"ARGO\"}", "InvalidParameterException", "deploymentController.type 'ARGO' is not one of ECS, CODE_DEPLOY, EXTERNAL." },
        { "CreateService", "\"loadBalancers\":[{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1\",\"containerName\":\"fargate-app\",\"containerPort\":80}]", "InvalidParameterException", "Unable to validate the specified targetGroupArn arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1: the target group does not exist." },
        { "CreateService", "\"serviceRegistries\":[{\"registryArn\":\"arn:aws:servicediscovery:us-east-1:1:service/srv-1\"}]", "InvalidParameterException", "The service registry arn:aws:servicediscovery:us-east-1:1:service/srv-1 does not exist." },
        { "CreateService", "\"serviceConnectConfiguration\":{\"enabled\":true}", "InvalidParameterException", "serviceConnectConfiguration is not supported by Gantry yet." },
        { "CreateService", "\"enableExecuteCommand\":true", "InvalidParameterException", "enableExecuteCommand is not supported by Gantry yet." },
        { "CreateService", "\"deploymentConfiguration\":{\"alarms\":{\"alarmNames\":[\"a\"],\"enable\":true,\"rollback\":true}}", "InvalidParameterException", "deploymentConfiguration.alarms is not supported by Gantry yet." },
        { "UpdateService", "\"platformVersion\":\"1.2.0\"", "PlatformUnknownException", "The specified platform version doesn't exist: '1.2.0'. Use LATEST or 1.4.0." },
        { "UpdateService", "\"loadBalancers\":[{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1\",\"containerName\":\"fargate-app\",\"containerPort\":80}]", "InvalidParameterException", "Unable to validate the specified targetGroupArn arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1: the target group does not exist." },
        { "UpdateService", "\"serviceRegistries\":[{\"registryArn\":\"arn:aws:servicediscovery:us-east-1:1:service/srv-1\"}]", "InvalidParameterException", "The service registry arn:aws:servicediscovery:us-east-1:1:service/srv-1 does not exist." },
        { "UpdateService", "\"vpcLatticeConfigurations\":[{\"roleArn\":\"arn:aws:iam::1:role/l\",\"targetGroupArn\":\"arn:aws:vpc-lattice:us-east-1:1:targetgroup/tg-1\",\"portName\":\"web\"}]", "InvalidParameterException", "vpcLatticeConfigurations is not supported by Gantry yet." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_a_400_with_the_exact_message_and_stores_nothing(string operation, string members, string errorType, string message)
    {
        var (cluster, service, subnet) = await SetUpAsync();
        var request = (operation switch
        {
            "RunTask" => $$"""{"cluster":"{{cluster}}","taskDefinition":"sample-fargate",{{Network}},{{members}}}""",
            "StartTask" => $$"""{"cluster":"{{cluster}}","taskDefinition":"sample-fargate","containerInstances":["0123456789abcdef"],{{Network}},{{members}}}""",
            "CreateService" => $$"""{"cluster":"{{cluster}}","serviceName":"refused","taskDefinition":"sample-fargate","desiredCount":0,{{Network}},{{members}}}""",
            _ => $$"""{"cluster":"{{cluster}}","service":"{{service}}",{{members}}}""",
        }).Replace(Subnet, subnet, StringComparison.Ordinal);
        var before = host.Store.CurrentRevision;
        var (status, body) = await host.CallAsync(operation, request);
        Assert.True(status == 400, $"{operation} {members}: HTTP {status} {body}");
        Assert.Equal(errorType, body.GetProperty("__type").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    private const string PublicNetwork = $"\"networkConfiguration\":{{\"awsvpcConfiguration\":{{\"subnets\":[\"{Subnet}\"],\"assignPublicIp\":\"ENABLED\"}}}}";

    /// <summary>Each case: the operation, its whole request past the cluster, the exact InvalidParameterException message.</summary>
    public static TheoryData<string, string, string> NetworkCases => new()
    {
        { "RunTask", $"\"taskDefinition\":\"sample-fargate\",\"launchType\":\"EC2\",{PublicNetwork}", LaunchCapacityRules.PublicIpLaunchTypeMessage },
        { "StartTask", $"\"taskDefinition\":\"sample-fargate\",\"containerInstances\":[\"0123456789abcdef\"],{PublicNetwork}", LaunchCapacityRules.PublicIpLaunchTypeMessage },
        { "CreateService", $"\"serviceName\":\"public\",\"taskDefinition\":\"sample-fargate\",\"desiredCount\":0,\"launchType\":\"EC2\",{PublicNetwork}", LaunchCapacityRules.PublicIpLaunchTypeMessage },
        { "UpdateService", $"\"service\":\"kept\",{PublicNetwork}", LaunchCapacityRules.PublicIpLaunchTypeMessage },
        { "RunTask", "\"taskDefinition\":\"sample-fargate\",\"launchType\":\"EC2\",\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":[]}}", "subnets can not be empty." },
        { "RunTask", "\"taskDefinition\":\"sample-fargate\",\"launchType\":\"FARGATE\",\"networkConfiguration\":{\"awsvpcConfiguration\":{\"subnets\":[\"" + Subnet + "\"],\"assignPublicIp\":\"YES\"}}",
            "networkConfiguration.awsvpcConfiguration.assignPublicIp 'YES' is not one of ENABLED, DISABLED." },
    };

    [Theory]
    [MemberData(nameof(NetworkCases))]
    public async Task A_public_IP_is_Fargate_only_and_subnets_are_required_on_every_launch_type(string operation, string members, string message)
    {
        var (cluster, _, subnet) = await SetUpAsync();
        var before = host.Store.CurrentRevision;
        var (status, body) = await host.CallAsync(operation, $$"""{"cluster":"{{cluster}}",{{members}}}""".Replace(Subnet, subnet, StringComparison.Ordinal));
        Assert.True(status == 400, $"{operation} {members}: HTTP {status} {body}");
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(before, host.Store.CurrentRevision);
    }

    [Fact]
    public void A_public_IP_with_a_container_port_range_is_refused_by_name()
    {
        var definition = new TaskDefinition
        {
            NetworkMode = "awsvpc",
            ContainerDefinitions = [new ContainerDefinition { Name = "game", PortMappings = [new PortMapping { ContainerPortRange = "7000-7010", Protocol = "udp" }] }],
        };
        var network = new NetworkConfiguration { AwsvpcConfiguration = new AwsVpcConfiguration { Subnets = ["subnet-1"], AssignPublicIp = "ENABLED" } };

        var error = Assert.ThrowsAny<Exception>(() => LaunchCapacityRules.CheckNetwork(Fargate, definition, network));

        Assert.Equal("assignPublicIp ENABLED with a containerPortRange (container 'game') is not supported by Gantry yet.", error.Message);
        LaunchCapacityRules.CheckNetwork(Fargate, definition, network with { AwsvpcConfiguration = network.AwsvpcConfiguration with { AssignPublicIp = "DISABLED" } });
    }

    private static LaunchCapacity Fargate => new(LaunchTypeValues.FARGATE, []);

    [Theory]
    [InlineData("LATEST")]
    [InlineData("1.4.0")]
    public void The_platform_versions_that_exist_are_accepted_without_an_EC2_launch_type(string version)
    {
        Gantry.Api.Ecs.LaunchRefusals.PlatformVersion(null, version);
        Gantry.Api.Ecs.LaunchRefusals.PlatformVersion("FARGATE", version);
    }

    [Fact]
    public async Task An_ECS_deployment_controller_and_empty_lists_are_still_accepted()
    {
        var (cluster, _, subnet) = await SetUpAsync();
        var (status, body) = await host.CallAsync("CreateService", $$$"""
            {"cluster":"{{{cluster}}}","serviceName":"plain","taskDefinition":"sample-fargate","desiredCount":0,{{{Network}}},
             "deploymentController":{"type":"ECS"},"loadBalancers":[],"serviceRegistries":[],"serviceConnectConfiguration":{"enabled":false}}
            """.Replace(Subnet, subnet, StringComparison.Ordinal));
        Assert.True(status == 200, body.ToString());
        Assert.Equal("ECS", body.GetProperty("service").GetProperty("deploymentController").GetProperty("type").GetString());
    }

    /// <summary>A cluster with service "kept", and the default subnet's id (the default network is made here, before a test reads the revision).</summary>
    private async Task<(string Cluster, string Service, string Subnet)> SetUpAsync()
    {
        var subnet = await host.DefaultSubnetAsync();
        var cluster = $"refuse-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var definition = TaskDefinitionRefusals.PatchedJson("fargate", "{}").ToJsonString();
        var (registered, body) = await host.CallAsync("RegisterTaskDefinition", definition);
        Assert.True(registered == 200, body.ToString());
        var (created, service) = await host.CallAsync("CreateService",
            $$"""{"cluster":"{{cluster}}","serviceName":"kept","taskDefinition":"sample-fargate","desiredCount":0,{{Network}}}""".Replace(Subnet, subnet, StringComparison.Ordinal));
        Assert.True(created == 200, service.ToString());
        return (cluster, "kept", subnet);
    }
}
