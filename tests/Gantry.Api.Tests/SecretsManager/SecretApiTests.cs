using System.Text.Json;
using Gantry.Api.Tests.Elbv2;

namespace Gantry.Api.Tests.SecretsManager;

/// <summary>Secrets Manager through the real AWS CLI v2 (<c>aws secretsmanager … --endpoint-url</c>).</summary>
public sealed class SecretApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    private Task<JsonElement> OkAsync(params string[] args) => _aws.OkAsync(["secretsmanager", .. args]);

    private Task<string> FailsAsync(string code, params string[] args) => _aws.FailsAsync(code, ["secretsmanager", .. args]);

    [Fact]
    public async Task A_secret_is_created_read_by_name_and_ARN_and_its_stages_move_as_values_are_put()
    {
        var created = await OkAsync("create-secret", "--name", "app/db", "--secret-string", "{\"user\":\"app\",\"password\":\"one\"}",
            "--description", "database", "--tags", "Key=team,Value=core");
        var arn = created.GetProperty("ARN").GetString()!;
        Assert.Matches("^arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-[A-Za-z0-9]{6}$", arn);
        var first = created.GetProperty("VersionId").GetString()!;

        foreach (var id in new[] { "app/db", arn, arn[..^7] })
        {
            var value = await OkAsync("get-secret-value", "--secret-id", id);
            Assert.Equal("{\"user\":\"app\",\"password\":\"one\"}", value.GetProperty("SecretString").GetString());
            Assert.Equal(["AWSCURRENT"], value.GetProperty("VersionStages").EnumerateArray().Select(s => s.GetString()));
        }

        var put = await OkAsync("put-secret-value", "--secret-id", "app/db", "--secret-string", "two");
        var second = put.GetProperty("VersionId").GetString()!;
        Assert.Equal("two", (await OkAsync("get-secret-value", "--secret-id", "app/db")).GetProperty("SecretString").GetString());
        Assert.Equal("{\"user\":\"app\",\"password\":\"one\"}",
            (await OkAsync("get-secret-value", "--secret-id", "app/db", "--version-stage", "AWSPREVIOUS")).GetProperty("SecretString").GetString());

        // Rotation as a Lambda does it: a pending version, then AWSCURRENT moved onto it.
        var pending = (await OkAsync("put-secret-value", "--secret-id", "app/db", "--secret-string", "three", "--version-stages", "AWSPENDING"))
            .GetProperty("VersionId").GetString()!;
        Assert.Equal("two", (await OkAsync("get-secret-value", "--secret-id", "app/db")).GetProperty("SecretString").GetString());
        Assert.Contains("RemoveFromVersionId", await FailsAsync("InvalidParameterException",
            "update-secret-version-stage", "--secret-id", "app/db", "--version-stage", "AWSCURRENT", "--move-to-version-id", pending));
        await OkAsync("update-secret-version-stage", "--secret-id", "app/db", "--version-stage", "AWSCURRENT", "--move-to-version-id", pending,
            "--remove-from-version-id", second);
        await OkAsync("update-secret-version-stage", "--secret-id", "app/db", "--version-stage", "AWSPENDING", "--remove-from-version-id", pending);

        var described = await OkAsync("describe-secret", "--secret-id", arn);
        var stages = described.GetProperty("VersionIdsToStages");
        Assert.Equal(["AWSCURRENT"], stages.GetProperty(pending).EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["AWSPREVIOUS"], stages.GetProperty(second).EnumerateArray().Select(s => s.GetString()));
        Assert.False(stages.TryGetProperty(first, out _));
        Assert.Equal("database", described.GetProperty("Description").GetString());
        Assert.Equal("team", described.GetProperty("Tags")[0].GetProperty("Key").GetString());

        var versions = await OkAsync("list-secret-version-ids", "--secret-id", "app/db", "--include-deprecated");
        Assert.Equal(3, versions.GetProperty("Versions").GetArrayLength());
        Assert.Equal("Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000",
            await FailsAsync("ResourceNotFoundException", "get-secret-value", "--secret-id", "app/db", "--version-id", "00000000-0000-0000-0000-000000000000"));
    }

    [Fact]
    public async Task A_client_request_token_makes_put_idempotent_and_refuses_another_value()
    {
        await OkAsync("create-secret", "--name", "token-secret", "--secret-string", "a");
        const string token = "11111111-2222-3333-4444-555555555555";
        var put = await OkAsync("put-secret-value", "--secret-id", "token-secret", "--secret-string", "b", "--client-request-token", token);
        Assert.Equal(token, put.GetProperty("VersionId").GetString());
        await OkAsync("put-secret-value", "--secret-id", "token-secret", "--secret-string", "b", "--client-request-token", token);
        Assert.Equal("You can't modify an existing version, you can only create a new version.",
            await FailsAsync("ResourceExistsException", "put-secret-value", "--secret-id", "token-secret", "--secret-string", "c", "--client-request-token", token));
        Assert.Equal("The operation failed because the secret token-secret already exists.",
            await FailsAsync("ResourceExistsException", "create-secret", "--name", "token-secret", "--secret-string", "z"));
    }

    [Fact]
    public async Task A_deleted_secret_refuses_reads_during_its_window_and_comes_back_when_restored()
    {
        await OkAsync("create-secret", "--name", "doomed", "--secret-string", "bye");
        Assert.Contains("between 7 and 30", await FailsAsync("InvalidParameterException", "delete-secret", "--secret-id", "doomed", "--recovery-window-in-days", "3"));
        var deleted = await OkAsync("delete-secret", "--secret-id", "doomed", "--recovery-window-in-days", "7");
        Assert.True(deleted.TryGetProperty("DeletionDate", out _));
        Assert.Equal("You can't perform this operation on the secret because it was marked for deletion.", await FailsAsync("InvalidRequestException", "get-secret-value", "--secret-id", "doomed"));
        Assert.True((await OkAsync("describe-secret", "--secret-id", "doomed")).TryGetProperty("DeletedDate", out _));
        Assert.DoesNotContain("doomed", await NamesAsync());
        Assert.Contains("doomed", await NamesAsync("--include-planned-deletion"));

        await OkAsync("restore-secret", "--secret-id", "doomed");
        Assert.Equal("bye", (await OkAsync("get-secret-value", "--secret-id", "doomed")).GetProperty("SecretString").GetString());

        await OkAsync("delete-secret", "--secret-id", "doomed", "--force-delete-without-recovery");
        Assert.Equal("Secrets Manager can't find the specified secret.", await FailsAsync("ResourceNotFoundException", "get-secret-value", "--secret-id", "doomed"));
    }

    [Fact]
    public async Task Secrets_are_listed_through_filters_a_page_at_a_time()
    {
        await OkAsync("create-secret", "--name", "list/a", "--secret-string", "1", "--tags", "Key=env,Value=prod");
        await OkAsync("create-secret", "--name", "list/b", "--secret-string", "2");
        Assert.Equal(["list/a", "list/b"], await NamesAsync("--filters", "Key=name,Values=list/"));
        Assert.Equal(["list/a"], await NamesAsync("--filters", "Key=name,Values=list/", "Key=tag-key,Values=env"));
        var page = await OkAsync("list-secrets", "--filters", "Key=name,Values=list/", "--max-results", "1", "--no-paginate");
        Assert.Single(page.GetProperty("SecretList").EnumerateArray());
        var next = await OkAsync("list-secrets", "--filters", "Key=name,Values=list/", "--max-results", "1", "--no-paginate", "--next-token",
            page.GetProperty("NextToken").GetString()!);
        Assert.Equal("list/b", next.GetProperty("SecretList")[0].GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Random_passwords_policies_tags_and_binary_values_work_through_the_CLI()
    {
        var password = (await OkAsync("get-random-password", "--password-length", "20", "--exclude-punctuation")).GetProperty("RandomPassword").GetString()!;
        Assert.Equal(20, password.Length);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c)));

        var file = Path.Combine(host.DataDirectory, "blob.bin");
        await File.WriteAllBytesAsync(file, [0, 1, 2, 255]);
        await OkAsync("create-secret", "--name", "binary", "--secret-binary", "fileb://" + file);
        Assert.Equal(Convert.ToBase64String(new byte[] { 0, 1, 2, 255 }),
            (await OkAsync("get-secret-value", "--secret-id", "binary")).GetProperty("SecretBinary").GetString());

        const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        Assert.True((await OkAsync("validate-resource-policy", "--resource-policy", policy)).GetProperty("PolicyValidationPassed").GetBoolean());
        Assert.False((await OkAsync("validate-resource-policy", "--resource-policy", "{\"Statement\":[]}")).GetProperty("PolicyValidationPassed").GetBoolean());
        await OkAsync("put-resource-policy", "--secret-id", "binary", "--resource-policy", policy);
        Assert.Equal(policy, (await OkAsync("get-resource-policy", "--secret-id", "binary")).GetProperty("ResourcePolicy").GetString());
        await FailsAsync("MalformedPolicyDocumentException", "put-resource-policy", "--secret-id", "binary", "--resource-policy", "not json");
        await OkAsync("delete-resource-policy", "--secret-id", "binary");

        await OkAsync("tag-resource", "--secret-id", "binary", "--tags", "Key=a,Value=1", "Key=b,Value=2");
        await OkAsync("untag-resource", "--secret-id", "binary", "--tag-keys", "a");
        var tags = (await OkAsync("describe-secret", "--secret-id", "binary")).GetProperty("Tags");
        Assert.Equal(["b"], tags.EnumerateArray().Select(t => t.GetProperty("Key").GetString()));

        Assert.Contains("KmsKeyId", await FailsAsync("InvalidParameterException", "create-secret", "--name", "kms", "--secret-string", "x", "--kms-key-id", "alias/mine"));
        await OkAsync("create-secret", "--name", "kms", "--secret-string", "x", "--kms-key-id", "alias/aws/secretsmanager");
    }

    private async Task<string[]> NamesAsync(params string[] options) =>
        (await OkAsync(["list-secrets", .. options])).GetProperty("SecretList").EnumerateArray().Select(s => s.GetProperty("Name").GetString()!).ToArray();
}
