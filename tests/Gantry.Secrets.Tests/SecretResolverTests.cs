using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets.Tests;

/// <summary>Every valueFrom form ECS accepts (REFERENCE-NEXT §7.1) and its failures' wording (§7.2).</summary>
public sealed class SecretResolverTests : IAsyncLifetime
{
    private const string Json = "{\"username\":\"app\",\"port\":5432,\"big\":1000000,\"ratio\":0.5,\"on\":true,\"none\":null,\"list\":[1,\"a\"],\"map\":{\"b\":1,\"a\":\"x\"}}";
    private SecretsFixture _f = null!;
    private string _arn = "";
    private string _firstVersion = "";

    public async Task InitializeAsync()
    {
        _f = await SecretsFixture.CreateAsync();
        var (secret, version) = await _f.Vault.CreateAsync(new NewSecret("app/creds", null, null, new SecretPayload(Json, null), null, []), CancellationToken.None);
        (_arn, _firstVersion) = (secret.Arn, version!);
        await _f.Vault.PutValueAsync("app/creds", null, new SecretPayload("{\"username\":\"next\"}", null), null, CancellationToken.None);
        await _f.Parameters.PutAsync(new ParameterPut("/app/token", "t0ken", "SecureString", null, null, false, null, null, null, null, "me"), CancellationToken.None);
        await _f.Parameters.PutAsync(new ParameterPut("plain", "p", "String", null, null, false, null, null, null, null, "me"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private Task<string> ResolveAsync(string valueFrom) => _f.Resolver.ResolveAsync(valueFrom, CancellationToken.None);

    private async Task<SecretResolutionException> FailsAsync(string valueFrom) =>
        await Assert.ThrowsAsync<SecretResolutionException>(() => ResolveAsync(valueFrom));

    [Fact]
    public async Task A_secret_ARN_gives_the_whole_current_SecretString() =>
        Assert.Equal("{\"username\":\"next\"}", await ResolveAsync(_arn));

    [Fact]
    public async Task A_json_key_with_empty_stage_and_id_reads_AWSCURRENT() =>
        Assert.Equal("next", await ResolveAsync($"{_arn}:username::"));

    [Fact]
    public async Task A_json_key_with_a_stage_reads_that_stage() =>
        Assert.Equal("app", await ResolveAsync($"{_arn}:username:AWSPREVIOUS:"));

    [Fact]
    public async Task A_version_id_reads_that_version_whole_or_by_key()
    {
        Assert.Equal(Json, await ResolveAsync($"{_arn}::::{_firstVersion}".Replace("::::", ":::", StringComparison.Ordinal)));
        Assert.Equal("app", await ResolveAsync($"{_arn}:username::{_firstVersion}"));
    }

    [Theory]
    [InlineData("port", "5432")]
    [InlineData("big", "1e+06")]
    [InlineData("ratio", "0.5")]
    [InlineData("on", "true")]
    [InlineData("none", "<nil>")]
    [InlineData("list", "[1 a]")]
    [InlineData("map", "map[a:x b:1]")]
    public async Task Json_values_are_rendered_as_Go_formats_them(string key, string expected) =>
        Assert.Equal(expected, await ResolveAsync($"{_arn}:{key}:AWSPREVIOUS:"));

    [Fact]
    public async Task A_missing_key_is_named()
    {
        var failure = await FailsAsync($"{_arn}:password::");
        Assert.Equal("retrieved secret from Secrets Manager did not contain json key password", failure.Reason);
        Assert.StartsWith("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm:",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_is_ResourceNotFoundException()
    {
        var missing = _arn[..^6] + "zzzzzz";
        Assert.Equal($"ResourceNotFoundException: The task can't retrieve the secret with ARN '{missing}' from AWS Secrets Manager. Check whether the secret exists in the specified Region",
            (await FailsAsync(missing)).Reason);
    }

    [Theory]
    [InlineData(":username")]
    [InlineData(":username:AWSCURRENT")]
    [InlineData(":a:b:c:d")]
    public async Task Other_field_counts_are_an_invalid_ARN(string suffix) =>
        Assert.Equal("an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again.",
            (await FailsAsync(_arn + suffix)).Reason);

    [Fact]
    public async Task A_stage_and_an_id_together_are_refused() =>
        Assert.Contains("InvalidParameterException", (await FailsAsync($"{_arn}:username:AWSCURRENT:{_firstVersion}")).Reason, StringComparison.Ordinal);

    [Fact]
    public async Task An_ARN_of_another_service_is_an_invalid_ARN() =>
        Assert.StartsWith("an invalid ARN format", (await FailsAsync("arn:aws:s3:us-east-1:000000000000:bucket/x")).Reason, StringComparison.Ordinal);

    [Fact]
    public async Task Parameters_resolve_by_name_and_ARN_decrypted()
    {
        Assert.Equal("t0ken", await ResolveAsync("/app/token"));
        Assert.Equal("t0ken", await ResolveAsync("arn:aws:ssm:us-east-1:000000000000:parameter/app/token"));
        Assert.Equal("p", await ResolveAsync("plain"));
        Assert.Equal("p", await ResolveAsync("arn:aws:ssm:us-east-1:000000000000:parameter/plain"));
    }

    [Fact]
    public async Task A_missing_parameter_is_an_invalid_parameter() =>
        Assert.Equal("fetching secret data from SSM Parameter Store in us-east-1: invalid parameters: /app/missing", (await FailsAsync("/app/missing")).Reason);
}
