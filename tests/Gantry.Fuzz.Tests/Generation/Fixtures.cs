using Gantry.Api.Tests;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>The resources plausible inputs name; <see cref="EnsureAsync"/> (re)creates them before each operation is fuzzed.</summary>
public static class Fixtures
{
    public const string Cluster = "fz";
    public const string Family = "fz";
    public const string LogGroup = "/fz";
    public const string LogStream = "s";
    public const string Repository = "fz";
    public const string Digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private const string Ecs = "AmazonEC2ContainerServiceV20141113";
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921";
    private const string Logs = "Logs_20140328";
    private const string Secrets = "secretsmanager";
    private const string Ssm = "AmazonSSM";

    public static string ResourceArn(string service) => service switch
    {
        Ecr => $"arn:aws:ecr:us-east-1:000000000000:repository/{Repository}",
        Logs => $"arn:aws:logs:us-east-1:000000000000:log-group:{LogGroup}",
        _ => $"arn:aws:ecs:us-east-1:000000000000:cluster/{Cluster}",
    };

    /// <summary>Creates what is missing; "already exists" answers are fine.</summary>
    public static async Task EnsureAsync(ApiTestHost host)
    {
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{Cluster}}"}""", Ecs);
        var (_, definitions) = await host.CallAsync("ListTaskDefinitions", $$"""{"familyPrefix":"{{Family}}","status":"ACTIVE"}""", Ecs);
        if (definitions.GetProperty("taskDefinitionArns").GetArrayLength() == 0)
        {
            await host.CallAsync("RegisterTaskDefinition",
                $$"""{"family":"{{Family}}","containerDefinitions":[{"name":"fz","image":"busybox","memory":64}]}""", Ecs);
        }
        await host.CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{LogGroup}}"}""", Logs);
        await host.CallAsync("CreateLogStream", $$"""{"logGroupName":"{{LogGroup}}","logStreamName":"{{LogStream}}"}""", Logs);
        await host.CallAsync("CreateRepository", $$"""{"repositoryName":"{{Repository}}"}""", Ecr);
        await host.CallAsync("CreateSecret", """{"Name":"fz","SecretString":"fz"}""", Secrets);
        await host.CallAsync("RestoreSecret", """{"SecretId":"fz"}""", Secrets);
        await host.CallAsync("PutParameter", """{"Name":"fz","Value":"fz","Type":"String"}""", Ssm);
    }
}
