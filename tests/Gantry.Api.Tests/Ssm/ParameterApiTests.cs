using System.Text.Json;
using Gantry.Api.Tests.Elbv2;

namespace Gantry.Api.Tests.Ssm;

/// <summary>Parameter Store through the real AWS CLI v2 (<c>aws ssm … --endpoint-url</c>).</summary>
public sealed class ParameterApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    private Task<JsonElement> OkAsync(params string[] args) => _aws.OkAsync(["ssm", .. args]);

    private Task<string> FailsAsync(string code, params string[] args) => _aws.FailsAsync(code, ["ssm", .. args]);

    [Fact]
    public async Task A_SecureString_is_answered_decrypted_only_when_asked()
    {
        var put = await OkAsync("put-parameter", "--name", "/app/db/password", "--value", "s3cret", "--type", "SecureString");
        Assert.Equal((1, "Standard"), (put.GetProperty("Version").GetInt32(), put.GetProperty("Tier").GetString()));

        var sealedValue = (await OkAsync("get-parameter", "--name", "/app/db/password")).GetProperty("Parameter");
        Assert.NotEqual("s3cret", sealedValue.GetProperty("Value").GetString());
        Assert.Equal("SecureString", sealedValue.GetProperty("Type").GetString());

        var opened = (await OkAsync("get-parameter", "--name", "/app/db/password", "--with-decryption")).GetProperty("Parameter");
        Assert.Equal("s3cret", opened.GetProperty("Value").GetString());
        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/app/db/password", opened.GetProperty("ARN").GetString());

        var many = await OkAsync("get-parameters", "--names", "/app/db/password", "/app/db/missing", "--with-decryption");
        Assert.Equal("s3cret", many.GetProperty("Parameters")[0].GetProperty("Value").GetString());
        Assert.Equal(["/app/db/missing"], many.GetProperty("InvalidParameters").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Versions_labels_and_overwrite_follow_Parameter_Store_rules()
    {
        await OkAsync("put-parameter", "--name", "/cfg/level", "--value", "one", "--type", "String", "--tags", "Key=team,Value=core");
        Assert.Equal("The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
            await FailsAsync("ParameterAlreadyExists", "put-parameter", "--name", "/cfg/level", "--value", "two", "--type", "String"));
        Assert.Contains("tags and overwrite can't be used together", await FailsAsync("ValidationException",
            "put-parameter", "--name", "/cfg/level", "--value", "two", "--overwrite", "--tags", "Key=a,Value=b"));
        Assert.Equal(2, (await OkAsync("put-parameter", "--name", "/cfg/level", "--value", "two", "--overwrite")).GetProperty("Version").GetInt32());

        await OkAsync("label-parameter-version", "--name", "/cfg/level", "--parameter-version", "1", "--labels", "stable", "1bad");
        var labelled = (await OkAsync("get-parameter", "--name", "/cfg/level:stable")).GetProperty("Parameter");
        Assert.Equal(("one", ":stable", "/cfg/level"), (labelled.GetProperty("Value").GetString(), labelled.GetProperty("Selector").GetString(), labelled.GetProperty("Name").GetString()));
        Assert.Equal("two", (await OkAsync("get-parameter", "--name", "/cfg/level:2")).GetProperty("Parameter").GetProperty("Value").GetString());
        await FailsAsync("ParameterVersionNotFound", "get-parameter", "--name", "/cfg/level:9");

        var history = (await OkAsync("get-parameter-history", "--name", "/cfg/level")).GetProperty("Parameters");
        Assert.Equal(["one", "two"], history.EnumerateArray().Select(v => v.GetProperty("Value").GetString()));
        Assert.Equal(["stable"], history[0].GetProperty("Labels").EnumerateArray().Select(l => l.GetString()));

        var tags = (await OkAsync("list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/cfg/level")).GetProperty("TagList");
        Assert.Equal("team", tags[0].GetProperty("Key").GetString());
        await OkAsync("remove-tags-from-resource", "--resource-type", "Parameter", "--resource-id", "/cfg/level", "--tag-keys", "team");

        await OkAsync("delete-parameter", "--name", "/cfg/level");
        await FailsAsync("ParameterNotFound", "get-parameter", "--name", "/cfg/level");
        await FailsAsync("ParameterNotFound", "delete-parameter", "--name", "/cfg/level");
    }

    [Fact]
    public async Task Parameters_by_path_are_paged_ten_at_a_time_and_recursive_only_when_asked()
    {
        for (var i = 0; i < 12; i++)
        {
            await OkAsync("put-parameter", "--name", $"/tree/leaf{i:00}", "--value", $"v{i}", "--type", "String");
        }
        await OkAsync("put-parameter", "--name", "/tree/deep/leaf", "--value", "deep", "--type", "StringList");
        var page = await OkAsync("get-parameters-by-path", "--path", "/tree", "--max-results", "5", "--no-paginate");
        Assert.Equal(5, page.GetProperty("Parameters").GetArrayLength());
        Assert.True(page.TryGetProperty("NextToken", out _));

        var oneLevel = await OkAsync("get-parameters-by-path", "--path", "/tree");
        Assert.Equal(12, oneLevel.GetProperty("Parameters").GetArrayLength());
        var all = await OkAsync("get-parameters-by-path", "--path", "/tree", "--recursive");
        Assert.Equal(13, all.GetProperty("Parameters").GetArrayLength());
        var lists = await OkAsync("get-parameters-by-path", "--path", "/tree", "--recursive", "--parameter-filters", "Key=Type,Values=StringList");
        Assert.Equal("/tree/deep/leaf", lists.GetProperty("Parameters")[0].GetProperty("Name").GetString());

        var described = await OkAsync("describe-parameters", "--parameter-filters", "Key=Path,Option=Recursive,Values=/tree/deep");
        Assert.Equal("/tree/deep/leaf", described.GetProperty("Parameters")[0].GetProperty("Name").GetString());
        await FailsAsync("InvalidFilterKey", "get-parameters-by-path", "--path", "/tree", "--parameter-filters", "Key=Name,Values=x");
    }

    [Fact]
    public async Task Names_are_checked_as_Parameter_Store_checks_them()
    {
        Assert.Contains("can't be prefixed with \"aws\" or \"ssm\"", await FailsAsync("ValidationException", "put-parameter", "--name", "/aws/mine", "--value", "x", "--type", "String"));
        await FailsAsync("ValidationException", "put-parameter", "--name", "no/leading/slash", "--value", "x", "--type", "String");
        await FailsAsync("ValidationException", "put-parameter", "--name", "/bad name", "--value", "x", "--type", "String");
        await FailsAsync("ParameterPatternMismatchException", "put-parameter", "--name", "/digits", "--value", "abc", "--type", "String", "--allowed-pattern", "^\\d+$");
        await FailsAsync("InvalidKeyId", "put-parameter", "--name", "/kms", "--value", "x", "--type", "SecureString", "--key-id", "alias/mine");
    }
}
