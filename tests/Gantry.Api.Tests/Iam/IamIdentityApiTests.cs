using System.Text.Json;
using Gantry.Api.Tests.Elbv2;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests.Iam;

/// <summary>IAM identity management through the real AWS CLI: users, keys, groups, roles, managed and inline policies.</summary>
public sealed class IamIdentityApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:List*","Resource":"*"}]}""";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private static readonly string Account = AwsAccount.Default.AccountId;
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<JsonElement> KeyAsync(string user) =>
        (await _aws.OkAsync("iam", "create-access-key", "--user-name", user)).GetProperty("AccessKey");

    private async Task ProfileAsync(string profile, JsonElement key)
    {
        await _aws.OkAsync("configure", "set", "aws_access_key_id", key.GetProperty("AccessKeyId").GetString()!, "--profile", profile);
        await _aws.OkAsync("configure", "set", "aws_secret_access_key", key.GetProperty("SecretAccessKey").GetString()!, "--profile", profile);
        await _aws.OkAsync("configure", "set", "region", "us-east-1", "--profile", profile);
    }

    [Fact]
    public async Task A_users_new_key_signs_as_that_user_and_stops_when_made_inactive()
    {
        var name = Unique("alice");
        var user = (await _aws.OkAsync("iam", "create-user", "--user-name", name, "--path", "/staff/", "--tags", "Key=team,Value=a")).GetProperty("User");
        Assert.Equal($"arn:aws:iam::{Account}:user/staff/{name}", user.GetProperty("Arn").GetString());
        Assert.Matches("^AIDA[A-Z2-7]{17}$", user.GetProperty("UserId").GetString());
        var key = await KeyAsync(name);
        Assert.Equal(("Active", name), (key.GetProperty("Status").GetString(), key.GetProperty("UserName").GetString()));
        await ProfileAsync(name, key);
        await _aws.OkAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "self", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"*"}]}""");

        var identity = await _aws.OkAsync("sts", "get-caller-identity", "--profile", name);
        Assert.Equal($"arn:aws:iam::{Account}:user/staff/{name}", identity.GetProperty("Arn").GetString());
        Assert.Equal(user.GetProperty("UserId").GetString(), identity.GetProperty("UserId").GetString());
        var self = (await _aws.OkAsync("iam", "get-user", "--profile", name)).GetProperty("User");
        Assert.Equal("a", self.GetProperty("Tags")[0].GetProperty("Value").GetString());
        var id = key.GetProperty("AccessKeyId").GetString()!;
        Assert.Equal(name, (await _aws.OkAsync("iam", "get-access-key-last-used", "--access-key-id", id)).GetProperty("UserName").GetString());
        Assert.Equal([id], (await _aws.OkAsync("iam", "list-access-keys", "--profile", name)).GetProperty("AccessKeyMetadata").EnumerateArray()
            .Select(k => k.GetProperty("AccessKeyId").GetString()));

        await _aws.OkAsync("iam", "update-access-key", "--user-name", name, "--access-key-id", id, "--status", "Inactive");
        Assert.NotEqual(0, (await _aws.RunAsync("sts", "get-caller-identity", "--profile", name)).Exit);
        Assert.Equal("Inactive", (await _aws.OkAsync("iam", "list-access-keys", "--user-name", name)).GetProperty("AccessKeyMetadata")[0].GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Users_keys_are_limited_and_a_user_with_keys_cannot_be_deleted()
    {
        var name = Unique("bob");
        await _aws.OkAsync("iam", "create-user", "--user-name", name);
        Assert.Equal($"User with name {name} already exists.", await _aws.FailsAsync("EntityAlreadyExists", "iam", "create-user", "--user-name", name));
        var first = await KeyAsync(name);
        await KeyAsync(name);
        Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", await _aws.FailsAsync("LimitExceeded", "iam", "create-access-key", "--user-name", name));
        Assert.Equal("Cannot delete entity, must delete access keys first.", await _aws.FailsAsync("DeleteConflict", "iam", "delete-user", "--user-name", name));

        foreach (var key in (await _aws.OkAsync("iam", "list-access-keys", "--user-name", name)).GetProperty("AccessKeyMetadata").EnumerateArray())
        {
            await _aws.OkAsync("iam", "delete-access-key", "--user-name", name, "--access-key-id", key.GetProperty("AccessKeyId").GetString()!);
        }
        Assert.Equal($"The Access Key with id {first.GetProperty("AccessKeyId").GetString()} cannot be found.",
            await _aws.FailsAsync("NoSuchEntity", "iam", "delete-access-key", "--user-name", name, "--access-key-id", first.GetProperty("AccessKeyId").GetString()!));
        await _aws.OkAsync("iam", "delete-user", "--user-name", name);
        Assert.Equal($"The user with name {name} cannot be found.", await _aws.FailsAsync("NoSuchEntity", "iam", "get-user", "--user-name", name));
    }

    [Fact]
    public async Task The_root_key_is_the_account_root_and_a_user_named_root_is_not()
    {
        var root = await host.Registry.Keys.EnsureRootKeyAsync(default);
        _aws.Environment["AWS_ACCESS_KEY_ID"] = root.AccessKeyId;
        _aws.Environment["AWS_SECRET_ACCESS_KEY"] = root.SecretAccessKey;
        var self = (await _aws.OkAsync("iam", "get-user")).GetProperty("User");
        Assert.Equal(($"arn:aws:iam::{Account}:root", Account), (self.GetProperty("Arn").GetString(), self.GetProperty("UserId").GetString()));
        Assert.Empty((await _aws.OkAsync("iam", "list-access-keys")).GetProperty("AccessKeyMetadata").EnumerateArray());

        await _aws.OkAsync("iam", "create-user", "--user-name", "root");
        var key = await KeyAsync("root");
        await ProfileAsync("impostor", key);
        Assert.Equal($"arn:aws:iam::{Account}:user/root", (await _aws.OkAsync("sts", "get-caller-identity", "--profile", "impostor")).GetProperty("Arn").GetString());
        Assert.Equal([key.GetProperty("AccessKeyId").GetString()], (await _aws.OkAsync("iam", "list-access-keys", "--user-name", "root"))
            .GetProperty("AccessKeyMetadata").EnumerateArray().Select(k => k.GetProperty("AccessKeyId").GetString()));
        await _aws.FailsAsync("NoSuchEntity", "iam", "delete-access-key", "--user-name", "root", "--access-key-id", root.AccessKeyId);
    }

    [Fact]
    public async Task A_group_holds_users_and_is_deleted_once_empty()
    {
        var (user, group) = (Unique("carol"), Unique("devs"));
        await _aws.OkAsync("iam", "create-user", "--user-name", user);
        var created = (await _aws.OkAsync("iam", "create-group", "--group-name", group)).GetProperty("Group");
        Assert.Matches("^AGPA[A-Z2-7]{17}$", created.GetProperty("GroupId").GetString());
        await _aws.OkAsync("iam", "add-user-to-group", "--group-name", group, "--user-name", user);

        var fetched = await _aws.OkAsync("iam", "get-group", "--group-name", group);
        Assert.Equal([user], fetched.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserName").GetString()));
        Assert.Equal([group], (await _aws.OkAsync("iam", "list-groups-for-user", "--user-name", user)).GetProperty("Groups").EnumerateArray()
            .Select(g => g.GetProperty("GroupName").GetString()));
        Assert.Equal("Cannot delete entity, must remove users from group first.", await _aws.FailsAsync("DeleteConflict", "iam", "delete-group", "--group-name", group));

        await _aws.OkAsync("iam", "remove-user-from-group", "--group-name", group, "--user-name", user);
        await _aws.OkAsync("iam", "delete-group", "--group-name", group);
        Assert.Equal($"The group with name {group} cannot be found.", await _aws.FailsAsync("NoSuchEntity", "iam", "get-group", "--group-name", group));
    }

    [Fact]
    public async Task A_role_keeps_its_trust_policy_session_length_and_tags()
    {
        var role = Unique("app");
        Assert.Contains("maxSessionDuration", await _aws.FailsAsync("ValidationError", "iam", "create-role", "--role-name", role,
            "--assume-role-policy-document", Trust, "--max-session-duration", "50000"), StringComparison.Ordinal);
        await _aws.FailsAsync("MalformedPolicyDocument", "iam", "create-role", "--role-name", role, "--assume-role-policy-document", Allow);
        var created = (await _aws.OkAsync("iam", "create-role", "--role-name", role, "--assume-role-policy-document", Trust,
            "--description", "the app", "--tags", "Key=team,Value=a")).GetProperty("Role");
        Assert.Equal((3600, $"arn:aws:iam::{Account}:role/{role}"), (created.GetProperty("MaxSessionDuration").GetInt32(), created.GetProperty("Arn").GetString()));
        Assert.Matches("^AROA[A-Z2-7]{17}$", created.GetProperty("RoleId").GetString());

        await _aws.OkAsync("iam", "update-role", "--role-name", role, "--max-session-duration", "7200");
        await _aws.OkAsync("iam", "tag-role", "--role-name", role, "--tags", "Key=env,Value=prod");
        var fetched = (await _aws.OkAsync("iam", "get-role", "--role-name", role)).GetProperty("Role");
        Assert.Equal("ecs-tasks.amazonaws.com",
            fetched.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal((7200, "the app"), (fetched.GetProperty("MaxSessionDuration").GetInt32(), fetched.GetProperty("Description").GetString()));
        Assert.Equal(["team", "env"], (await _aws.OkAsync("iam", "list-role-tags", "--role-name", role)).GetProperty("Tags").EnumerateArray()
            .Select(t => t.GetProperty("Key").GetString()));

        await _aws.OkAsync("iam", "put-role-policy", "--role-name", role, "--policy-name", "inline", "--policy-document", Allow);
        Assert.Equal("ecs:List*", (await _aws.OkAsync("iam", "get-role-policy", "--role-name", role, "--policy-name", "inline"))
            .GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal("Cannot delete entity, must delete policies first.", await _aws.FailsAsync("DeleteConflict", "iam", "delete-role", "--role-name", role));
        await _aws.OkAsync("iam", "delete-role-policy", "--role-name", role, "--policy-name", "inline");
        await _aws.OkAsync("iam", "delete-role", "--role-name", role);
        Assert.Equal($"The role with name {role} cannot be found.", await _aws.FailsAsync("NoSuchEntity", "iam", "get-role", "--role-name", role));
    }

    [Fact]
    public async Task A_managed_policy_counts_its_attachments_and_versions()
    {
        var (user, name) = (Unique("dave"), Unique("read"));
        await _aws.OkAsync("iam", "create-user", "--user-name", user);
        Assert.Equal("Syntax errors in policy.", await _aws.FailsAsync("MalformedPolicyDocument", "iam", "create-policy", "--policy-name", name, "--policy-document", "{"));
        var policy = (await _aws.OkAsync("iam", "create-policy", "--policy-name", name, "--policy-document", Allow)).GetProperty("Policy");
        var arn = policy.GetProperty("Arn").GetString()!;
        Assert.Equal($"arn:aws:iam::{Account}:policy/{name}", arn);
        await _aws.OkAsync("iam", "attach-user-policy", "--user-name", user, "--policy-arn", arn);

        Assert.Equal(1, (await _aws.OkAsync("iam", "get-policy", "--policy-arn", arn)).GetProperty("Policy").GetProperty("AttachmentCount").GetInt32());
        Assert.Equal([user], (await _aws.OkAsync("iam", "list-entities-for-policy", "--policy-arn", arn)).GetProperty("PolicyUsers").EnumerateArray()
            .Select(u => u.GetProperty("UserName").GetString()));
        Assert.Equal([name], (await _aws.OkAsync("iam", "list-attached-user-policies", "--user-name", user)).GetProperty("AttachedPolicies").EnumerateArray()
            .Select(p => p.GetProperty("PolicyName").GetString()));
        Assert.Contains((await _aws.OkAsync("iam", "list-policies", "--scope", "Local", "--only-attached")).GetProperty("Policies").EnumerateArray(),
            p => p.GetProperty("Arn").GetString() == arn);
        Assert.Equal("Cannot delete a policy attached to entities.", await _aws.FailsAsync("DeleteConflict", "iam", "delete-policy", "--policy-arn", arn));

        for (var i = 2; i <= 5; i++)
        {
            await _aws.OkAsync("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Allow.Replace("List*", $"Describe{i}", StringComparison.Ordinal),
                "--set-as-default");
        }
        Assert.Equal("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
            await _aws.FailsAsync("LimitExceeded", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Allow));
        var version = (await _aws.OkAsync("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v5")).GetProperty("PolicyVersion");
        Assert.True(version.GetProperty("IsDefaultVersion").GetBoolean());
        Assert.Equal("ecs:Describe5", version.GetProperty("Document").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal("Cannot delete the default version of a policy.",
            await _aws.FailsAsync("DeleteConflict", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v5"));
        await _aws.OkAsync("iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", "v1");
        Assert.Equal(["v5", "v4", "v3", "v2", "v1"], (await _aws.OkAsync("iam", "list-policy-versions", "--policy-arn", arn)).GetProperty("Versions").EnumerateArray()
            .Select(v => v.GetProperty("VersionId").GetString()));

        await _aws.OkAsync("iam", "detach-user-policy", "--user-name", user, "--policy-arn", arn);
        Assert.StartsWith("This policy has more than one version.", await _aws.FailsAsync("DeleteConflict", "iam", "delete-policy", "--policy-arn", arn), StringComparison.Ordinal);
        for (var i = 2; i <= 5; i++)
        {
            await _aws.OkAsync("iam", "delete-policy-version", "--policy-arn", arn, "--version-id", $"v{i}");
        }
        await _aws.OkAsync("iam", "delete-policy", "--policy-arn", arn);
        await _aws.FailsAsync("NoSuchEntity", "iam", "get-policy", "--policy-arn", arn);
    }

    [Fact]
    public async Task Inline_user_policies_are_put_read_listed_and_deleted()
    {
        var user = Unique("erin");
        await _aws.OkAsync("iam", "create-user", "--user-name", user);
        await _aws.OkAsync("iam", "put-user-policy", "--user-name", user, "--policy-name", "mine", "--policy-document", Allow);
        Assert.Equal("ecs:List*", (await _aws.OkAsync("iam", "get-user-policy", "--user-name", user, "--policy-name", "mine"))
            .GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal(["mine"], (await _aws.OkAsync("iam", "list-user-policies", "--user-name", user)).GetProperty("PolicyNames").EnumerateArray().Select(p => p.GetString()));
        await _aws.OkAsync("iam", "delete-user-policy", "--user-name", user, "--policy-name", "mine");
        Assert.Equal("The user policy with name mine cannot be found.",
            await _aws.FailsAsync("NoSuchEntity", "iam", "get-user-policy", "--user-name", user, "--policy-name", "mine"));
    }

    [Fact]
    public async Task Users_are_listed_by_path_a_page_at_a_time()
    {
        var path = $"/{Unique("paging")}/";
        var names = Enumerable.Range(0, 5).Select(i => $"{Unique("pu")}{i}").Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            await _aws.OkAsync("iam", "create-user", "--user-name", name, "--path", path);
        }

        var first = await _aws.OkAsync("iam", "list-users", "--path-prefix", path, "--max-items", "2");
        var rest = await _aws.OkAsync("iam", "list-users", "--path-prefix", path, "--max-items", "10", "--starting-token", first.GetProperty("NextToken").GetString()!);

        Assert.Equal(names, first.GetProperty("Users").EnumerateArray().Concat(rest.GetProperty("Users").EnumerateArray()).Select(u => u.GetProperty("UserName").GetString()));
        Assert.False(rest.TryGetProperty("NextToken", out _));
        Assert.Equal(names, (await _aws.OkAsync("iam", "list-users", "--path-prefix", path, "--page-size", "2")).GetProperty("Users").EnumerateArray()
            .Select(u => u.GetProperty("UserName").GetString()));
    }
}
