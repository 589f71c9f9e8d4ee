using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;

namespace Gantry.Domain.Tests.TaskDefinitions;

/// <summary>
/// Definitions refused with an exact message: Fargate's own wording for what Fargate forbids, and "… is not supported
/// by Gantry yet." for what ECS has and Gantry does not do. Each case edits a published sample ("fargate" or "ec2");
/// shared (as a linked file) by the validator tests and the API tests, which send each one over the wire.
/// </summary>
public static class TaskDefinitionRefusals
{
    private const string Fargate = "fargate";
    private const string Ec2 = "ec2";
    private const string Client = "ClientException";
    private const string Parameter = "InvalidParameterException";
    private const string Awslogs = """{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/f","awslogs-region":"us-east-1","awslogs-stream-prefix":"f"}}""";

    /// <summary>Each case: the sample, a JSON edit (top-level members replaced; "containerDefinitions[0]" merged into the first container), the error type and the exact message.</summary>
    public static TheoryData<string, string, string, string, string> All => new()
    {
        // Fargate's rules, in Fargate's words.
        { "fargate without awsvpc", Fargate, """{"networkMode":"bridge"}""", Client, "Fargate only supports network mode \u2018awsvpc\u2019." },
        { "fargate without task cpu", Fargate, """{"cpu":null}""", Client, "Fargate requires that 'cpu' be defined at the task level." },
        { "fargate without task memory", Fargate, """{"memory":null}""", Client, "Fargate requires that 'memory' be defined at the task level." },
        { "fargate size that does not exist", Fargate, """{"cpu":"256","memory":"4096"}""", Client, "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values." },
        { "fargate size in vCPU and GB that does not exist", Fargate, """{"cpu":"1 vCPU","memory":"1 GB"}""", Client, "No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values." },
        { "fargate 16 vCPU above 120 GB", Fargate, """{"cpu":"16 vcpu","memory":"128GB"}""", Client, "No Fargate configuration exists for given values: 16384 CPU, 131072 memory. See the Amazon ECS documentation for the valid values." },
        { "fargate ipcMode", Fargate, """{"ipcMode":"task"}""", Client, "Tasks using the Fargate launch type do not support ipcMode." },
        { "fargate pidMode host", Fargate, """{"pidMode":"host"}""", Client, "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'." },
        { "fargate host volume", Fargate, """{"volumes":[{"name":"data","host":{"sourcePath":"/srv/data"}}]}""", Client, "Fargate compatible task definitions do not support sourcePath (volumes[0].host.sourcePath)." },
        { "fargate docker volume", Fargate, """{"volumes":[{"name":"data","dockerVolumeConfiguration":{"scope":"task","driver":"local"}}]}""", Client, "Fargate compatible task definitions do not support dockerVolumeConfiguration (volumes[0].dockerVolumeConfiguration)." },
        { "fargate privileged", Fargate, """{"containerDefinitions[0]":{"privileged":true}}""", Client, "Fargate compatible task definitions do not support privileged (containerDefinitions[0].privileged)." },
        { "fargate devices", Fargate, """{"containerDefinitions[0]":{"linuxParameters":{"devices":[{"hostPath":"/dev/fuse"}]}}}""", Client, "Fargate compatible task definitions do not support devices (containerDefinitions[0].linuxParameters.devices)." },
        { "fargate awslogs without an execution role", Fargate, """{"containerDefinitions[0]":{"logConfiguration":""" + Awslogs + "}}", Client, "Fargate requires task definition to have execution role ARN to support log driver awslogs." },
        { "fargate host port differs", Fargate, """{"containerDefinitions[0]":{"portMappings":[{"containerPort":80,"hostPort":8080}]}}""", Client, "Invalid 'containerDefinitions[0].portMappings[0].hostPort': with networkMode awsvpc the host port must be omitted or equal the container port (80)." },
        { "fargate stopTimeout above 120", Fargate, """{"containerDefinitions[0]":{"stopTimeout":121}}""", Parameter, "Invalid 'containerDefinitions[0].stopTimeout': 121 is outside the allowed range 0-120." },
        { "fargate startTimeout below 2", Fargate, """{"containerDefinitions[0]":{"startTimeout":1}}""", Parameter, "Invalid 'containerDefinitions[0].startTimeout': 1 is outside the allowed range 2-120." },
        { "fargate ephemeral storage below 21 GiB", Fargate, """{"ephemeralStorage":{"sizeInGiB":20}}""", Parameter, "Invalid 'ephemeralStorage.sizeInGiB': 20 is outside the allowed range 21-200." },
        { "fargate ephemeral storage above 200 GiB", Fargate, """{"ephemeralStorage":{"sizeInGiB":201}}""", Parameter, "Invalid 'ephemeralStorage.sizeInGiB': 201 is outside the allowed range 21-200." },

        // What Gantry does not do yet, on any launch type.
        { "fargate pidMode task", Fargate, """{"pidMode":"task"}""", Client, "pidMode is not supported by Gantry yet." },
        { "ec2 pidMode host", Ec2, """{"pidMode":"host"}""", Client, "pidMode is not supported by Gantry yet." },
        { "ec2 ipcMode", Ec2, """{"ipcMode":"task"}""", Client, "ipcMode is not supported by Gantry yet." },
        { "proxyConfiguration", Fargate, """{"proxyConfiguration":{"type":"APPMESH","containerName":"fargate-app"}}""", Client, "proxyConfiguration is not supported by Gantry yet." },
        { "inferenceAccelerators", Ec2, """{"inferenceAccelerators":[{"deviceName":"d1","deviceType":"eia2.medium"}]}""", Client, "inferenceAccelerators is not supported by Gantry yet." },
        { "enableFaultInjection", Ec2, """{"enableFaultInjection":true}""", Client, "enableFaultInjection is not supported by Gantry yet." },
        { "efs volume", Ec2, """{"volumes":[{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-1234"}}]}""", Client, "volumes[0].efsVolumeConfiguration is not supported by Gantry yet." },
        { "fsx volume", Ec2, """{"volumes":[{"name":"data","fsxWindowsFileServerVolumeConfiguration":{"fileSystemId":"fs-1","rootDirectory":"share","authorizationConfig":{"credentialsParameter":"arn:aws:ssm:us-east-1:1:parameter/x","domain":"d"}}}]}""", Client, "volumes[0].fsxWindowsFileServerVolumeConfiguration is not supported by Gantry yet." },
        { "volume configured at launch", Ec2, """{"volumes":[{"name":"data","configuredAtLaunch":true}]}""", Client, "volumes[0].configuredAtLaunch is not supported by Gantry yet." },
        { "shared docker volume", Ec2, """{"volumes":[{"name":"data","dockerVolumeConfiguration":{"scope":"shared","autoprovision":true}}]}""", Client, "volumes[0].dockerVolumeConfiguration.scope 'shared' is not supported by Gantry yet." },
        { "docker volume plugin driver", Ec2, """{"volumes":[{"name":"data","dockerVolumeConfiguration":{"scope":"task","driver":"rexray/ebs"}}]}""", Client, "volumes[0].dockerVolumeConfiguration.driver 'rexray/ebs' is not supported by Gantry yet." },
        { "secrets", Fargate, """{"containerDefinitions[0]":{"secrets":[{"name":"DB","valueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:db"}]}}""", Client, "containerDefinitions[0].secrets is not supported by Gantry yet." },
        { "environmentFiles", Ec2, """{"containerDefinitions[0]":{"environmentFiles":[{"value":"arn:aws:s3:::bucket/app.env","type":"s3"}]}}""", Client, "containerDefinitions[0].environmentFiles is not supported by Gantry yet." },
        { "repositoryCredentials", Ec2, """{"containerDefinitions[0]":{"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:1:secret:hub"}}}""", Client, "containerDefinitions[0].repositoryCredentials is not supported by Gantry yet." },
        { "firelensConfiguration", Ec2, """{"containerDefinitions[0]":{"firelensConfiguration":{"type":"fluentbit"}}}""", Client, "containerDefinitions[0].firelensConfiguration is not supported by Gantry yet." },
        { "GPU", Ec2, """{"containerDefinitions[0]":{"resourceRequirements":[{"type":"GPU","value":"1"}]}}""", Client, "containerDefinitions[0].resourceRequirements[0] of type GPU is not supported by Gantry yet." },
        { "InferenceAccelerator", Ec2, """{"containerDefinitions[0]":{"resourceRequirements":[{"type":"InferenceAccelerator","value":"d1"}]}}""", Client, "containerDefinitions[0].resourceRequirements[0] of type InferenceAccelerator is not supported by Gantry yet." },
        { "restartPolicy", Ec2, """{"containerDefinitions[0]":{"restartPolicy":{"enabled":true}}}""", Client, "containerDefinitions[0].restartPolicy is not supported by Gantry yet." },
        { "dnsServers", Ec2, """{"containerDefinitions[0]":{"dnsServers":["10.0.0.2"]}}""", Client, "containerDefinitions[0].dnsServers is not supported by Gantry yet." },
        { "dnsSearchDomains", Ec2, """{"containerDefinitions[0]":{"dnsSearchDomains":["corp.example"]}}""", Client, "containerDefinitions[0].dnsSearchDomains is not supported by Gantry yet." },
        { "dockerSecurityOptions", Ec2, """{"containerDefinitions[0]":{"dockerSecurityOptions":["no-new-privileges"]}}""", Client, "containerDefinitions[0].dockerSecurityOptions is not supported by Gantry yet." },
        { "credentialSpecs", Ec2, """{"containerDefinitions[0]":{"credentialSpecs":["credentialspec:file://x.json"]}}""", Client, "containerDefinitions[0].credentialSpecs is not supported by Gantry yet." },
        { "log secretOptions", Ec2, """{"containerDefinitions[0]":{"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/g"},"secretOptions":[{"name":"k","valueFrom":"arn:aws:ssm:us-east-1:1:parameter/k"}]}}}""", Client, "containerDefinitions[0].logConfiguration.secretOptions is not supported by Gantry yet." },
        { "log driver other than awslogs", Ec2, """{"containerDefinitions[0]":{"logConfiguration":{"logDriver":"json-file"}}}""", Client, "containerDefinitions[0].logConfiguration.logDriver 'json-file' is not supported by Gantry yet." },
    };

    public static RegisterTaskDefinitionRequest Patched(string baseline, string patch) =>
        PatchedJson(baseline, patch).Deserialize<RegisterTaskDefinitionRequest>(AwsJson.Options)!;

    /// <summary>The sample with the edit applied, as JSON.</summary>
    public static JsonObject PatchedJson(string baseline, string patch)
    {
        var file = baseline == Fargate ? "fargate-sample.json" : "ec2-bridge-sample.json";
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", file)))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(patch)!.AsObject())
        {
            if (name == "containerDefinitions[0]")
            {
                var container = definition["containerDefinitions"]![0]!.AsObject();
                foreach (var (member, memberValue) in value!.AsObject())
                {
                    container[member] = memberValue?.DeepClone();
                }
                continue;
            }
            definition[name] = value?.DeepClone();
        }
        return definition;
    }
}
