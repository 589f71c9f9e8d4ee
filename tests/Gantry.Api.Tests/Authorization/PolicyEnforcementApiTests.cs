using System.Text.Json;
using Gantry.Api.Tests.Elbv2;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests.Authorization;

/// <summary>
/// IAM enforced through the real AWS CLI: a user allowed only to describe and list on one cluster, an explicit deny,
/// AssumeRole into a role its trust policy admits (GetCallerIdentity then shows the assumed-role ARN and the session
/// acts with the role's permissions), and a user the trust policy does not name.
/// </summary>
public sealed class PolicyEnforcementApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private static readonly string Account = AwsAccount.Default.AccountId;
    private static readonly string Ecs = $"arn:aws:ecs:us-east-1:{Account}";
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_user_may_describe_and_list_one_cluster_and_nothing_else_and_an_explicit_deny_wins()
    {
        await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", "team-a");
        await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", "team-b");
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "web", "--container-definitions", """[{"name":"app","image":"busybox","memory":16}]""");
        await UserAsync("dev", $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"{{{{Ecs}}}}:cluster/team-a"},{"Effect":"Allow","Action":["ecs:List*"],"Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"{{{{Ecs}}}}:cluster/team-a"}}}]}""");

        Assert.Equal("team-a", (await _aws.OkAsync("ecs", "describe-clusters", "--clusters", "team-a", "--profile", "dev")).GetProperty("clusters")[0].GetProperty("clusterName").GetString());
        await _aws.OkAsync("ecs", "list-tasks", "--cluster", "team-a", "--profile", "dev");
        Assert.Equal($"User: arn:aws:iam::{Account}:user/dev is not authorized to perform: ecs:DescribeClusters on resource: {Ecs}:cluster/team-b because no identity-based policy allows the ecs:DescribeClusters action",
            await _aws.FailsAsync("AccessDeniedException", "ecs", "describe-clusters", "--clusters", "team-b", "--profile", "dev"));
        Assert.Equal($"User: arn:aws:iam::{Account}:user/dev is not authorized to perform: ecs:RunTask on resource: {Ecs}:task-definition/web:1 because no identity-based policy allows the ecs:RunTask action",
            await _aws.FailsAsync("AccessDeniedException", "ecs", "run-task", "--cluster", "team-a", "--task-definition", "web", "--profile", "dev"));
        Assert.Empty((await _aws.OkAsync("ecs", "list-tasks", "--cluster", "team-a")).GetProperty("taskArns").EnumerateArray()); // the denied RunTask changed nothing

        await _aws.OkAsync("iam", "put-user-policy", "--user-name", "dev", "--policy-name", "no-describe", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecs:DescribeClusters","Resource":"*"}]}""");
        Assert.EndsWith("with an explicit deny in an identity-based policy",
            await _aws.FailsAsync("AccessDeniedException", "ecs", "describe-clusters", "--clusters", "team-a", "--profile", "dev"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_session_acts_as_the_role_and_only_principals_its_trust_policy_names_may_assume_it()
    {
        await UserAsync("deployer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        await UserAsync("stranger", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        var roleArn = (await _aws.OkAsync("iam", "create-role", "--role-name", "lister", "--assume-role-policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/deployer"},"Action":"sts:AssumeRole"}]}"""))
            .GetProperty("Role").GetProperty("Arn").GetString()!;
        await _aws.OkAsync("iam", "put-role-policy", "--role-name", "lister", "--policy-name", "list", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}]}""");

        var credentials = (await _aws.OkAsync("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ci-run", "--profile", "deployer"))
            .GetProperty("Credentials");
        Assert.StartsWith("ASIA", credentials.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.Equal($"User: arn:aws:iam::{Account}:user/stranger is not authorized to perform: sts:AssumeRole on resource: {roleArn}",
            await _aws.FailsAsync("AccessDenied", "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "x1", "--profile", "stranger"));

        Session(credentials);
        var identity = await _aws.OkAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/lister/ci-run", identity.GetProperty("Arn").GetString());
        Assert.Matches("^AROA[A-Z2-7]{17}:ci-run$", identity.GetProperty("UserId").GetString());
        await _aws.OkAsync("ecs", "list-clusters");
        Assert.Equal($"User: arn:aws:sts::{Account}:assumed-role/lister/ci-run is not authorized to perform: ecs:CreateCluster on resource: {Ecs}:cluster/nope because no identity-based policy allows the ecs:CreateCluster action",
            await _aws.FailsAsync("AccessDeniedException", "ecs", "create-cluster", "--cluster-name", "nope"));

        _aws.Environment["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()![..^4] + "AAAA";
        await _aws.FailsAsync("UnrecognizedClientException", "ecs", "list-clusters");
    }

    /// <summary>A user with one inline policy and a CLI profile named after it.</summary>
    private async Task UserAsync(string name, string policy)
    {
        await _aws.OkAsync("iam", "create-user", "--user-name", name);
        await _aws.OkAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "access", "--policy-document", policy);
        var key = (await _aws.OkAsync("iam", "create-access-key", "--user-name", name)).GetProperty("AccessKey");
        await _aws.OkAsync("configure", "set", "aws_access_key_id", key.GetProperty("AccessKeyId").GetString()!, "--profile", name);
        await _aws.OkAsync("configure", "set", "aws_secret_access_key", key.GetProperty("SecretAccessKey").GetString()!, "--profile", name);
        await _aws.OkAsync("configure", "set", "region", "us-east-1", "--profile", name);
    }

    private void Session(JsonElement credentials)
    {
        _aws.Environment["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!;
        _aws.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!;
        _aws.Environment["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!;
    }
}
