using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Secrets.Parameters;

namespace Gantry.Secrets.Tests.Parameters;

public sealed class ParameterStoreTests : IAsyncLifetime
{
    private SecretsFixture _f = null!;

    public async Task InitializeAsync() => _f = await SecretsFixture.CreateAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private Task<ParameterVersion> PutAsync(string name, string value, string? type = "String", bool overwrite = false, string? tier = null) =>
        _f.Parameters.PutAsync(new ParameterPut(name, value, type, null, null, overwrite, null, null, tier, null, "me"), CancellationToken.None);

    [Fact]
    public async Task Overwrites_make_versions_and_the_oldest_unlabelled_one_goes_past_a_hundred()
    {
        await PutAsync("/v", "0");
        Assert.Equal("ParameterAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => PutAsync("/v", "1"))).Type);
        for (var i = 1; i < 101; i++)
        {
            Assert.Equal(i + 1, (await PutAsync("/v", $"{i}", type: null, overwrite: true)).Version);
        }
        var (record, _, _) = await _f.Parameters.FindAsync("/v", CancellationToken.None);
        Assert.Equal(100, record!.Value.Versions.Count);
        Assert.Equal(2, record.Value.Versions[0].Version);

        await _f.Parameters.LabelAsync("/v", 2, ["pinned"], CancellationToken.None);
        Assert.Equal("ParameterMaxVersionLimitExceeded", (await Assert.ThrowsAsync<AwsException>(() => PutAsync("/v", "x", null, overwrite: true))).Type);
    }

    [Fact]
    public async Task A_label_lives_on_one_version_and_selects_it()
    {
        await PutAsync("/l", "one");
        await PutAsync("/l", "two", overwrite: true);
        var (invalid, labelled) = await _f.Parameters.LabelAsync("/l", 1, ["live", "aws-nope", "9lives"], CancellationToken.None);
        Assert.Equal(["aws-nope", "9lives"], invalid);
        Assert.Equal(1, labelled);
        Assert.Equal("one", (await _f.Parameters.GetAsync("/l:live", false, CancellationToken.None)).Value);

        await _f.Parameters.LabelAsync("/l", null, ["live"], CancellationToken.None);
        Assert.Equal("two", (await _f.Parameters.GetAsync("/l:live", false, CancellationToken.None)).Value);
        var (removed, notThere) = await _f.Parameters.UnlabelAsync("/l", 2, ["live", "other"], CancellationToken.None);
        Assert.Equal(["live"], removed);
        Assert.Equal(["other"], notThere);
        Assert.Equal("ParameterVersionNotFound", (await Assert.ThrowsAsync<AwsException>(() => _f.Parameters.GetAsync("/l:live", false, CancellationToken.None))).Type);
        var tooMany = Enumerable.Range(0, 11).Select(i => $"l{i}").ToList();
        Assert.Equal("ParameterVersionLabelLimitExceeded", (await Assert.ThrowsAsync<AwsException>(() => _f.Parameters.LabelAsync("/l", 1, tooMany, CancellationToken.None))).Type);
    }

    [Fact]
    public async Task A_SecureString_is_opened_only_with_decryption()
    {
        await PutAsync("/s", "hidden", "SecureString");
        var closed = await _f.Parameters.GetAsync("/s", withDecryption: false, CancellationToken.None);
        Assert.NotEqual("hidden", closed.Value);
        Assert.Equal("alias/aws/ssm", closed.Version.KeyId);
        Assert.Equal("hidden", (await _f.Parameters.GetAsync("/s", withDecryption: true, CancellationToken.None)).Value);
        Assert.Equal("hidden", (await _f.Parameters.GetAsync("arn:aws:ssm:us-east-1:000000000000:parameter/s", true, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task Tiers_follow_the_value_size_and_never_go_back_down()
    {
        Assert.Equal("ValidationException", (await Assert.ThrowsAsync<AwsException>(() => PutAsync("/big", new string('x', 5000)))).Type);
        Assert.Equal("Advanced", (await PutAsync("/big", new string('x', 5000), tier: "Intelligent-Tiering")).Tier);
        Assert.Equal("Advanced", (await PutAsync("/big", "small", null, overwrite: true, tier: "Intelligent-Tiering")).Tier);
        Assert.Equal("ValidationException", (await Assert.ThrowsAsync<AwsException>(() => PutAsync("/big", "small", null, overwrite: true, tier: "Standard"))).Type);
    }

    [Theory]
    [InlineData("plain", true)]
    [InlineData("/a/b/c", true)]
    [InlineData("/a.b-c_d", true)]
    [InlineData("a/b", false)]
    [InlineData("/a//b", false)]
    [InlineData("/a/", false)]
    [InlineData("/aws/x", false)]
    [InlineData("SSM-thing", false)]
    [InlineData("/a b", false)]
    [InlineData("/a:b", false)]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15", true)]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", false)]
    public void Names_follow_Parameter_Store_rules(string name, bool valid)
    {
        var names = new ParameterNames(AwsAccount.Default);
        if (valid)
        {
            names.Check(name);
        }
        else
        {
            Assert.Contains(Assert.Throws<AwsException>(() => names.Check(name)).Type, new[] { "ValidationException", "HierarchyLevelLimitExceededException" });
        }
    }

    [Fact]
    public async Task Paths_list_one_level_or_every_level_a_page_at_a_time()
    {
        foreach (var name in new[] { "/p/a", "/p/b", "/p/c/d", "/q/a" })
        {
            await PutAsync(name, "v");
        }
        var (first, next) = await _f.Parameters.ByPathAsync("/p", recursive: false, _ => true, 1, null, CancellationToken.None);
        var (second, end) = await _f.Parameters.ByPathAsync("/p", recursive: false, _ => true, 1, next, CancellationToken.None);
        Assert.Equal(("/p/a", "/p/b"), (first.Single().Name, second.Single().Name));
        var (rest, _) = await _f.Parameters.ByPathAsync("/p", recursive: false, _ => true, 1, end, CancellationToken.None);
        Assert.Empty(rest);
        var (all, _) = await _f.Parameters.ByPathAsync("/p/", recursive: true, _ => true, 10, null, CancellationToken.None);
        Assert.Equal(["/p/a", "/p/b", "/p/c/d"], all.Select(p => p.Name));
        Assert.Equal("InvalidNextToken", (await Assert.ThrowsAsync<AwsException>(() => _f.Parameters.ByPathAsync("/p", false, _ => true, 1, "***", CancellationToken.None))).Type);
    }
}
