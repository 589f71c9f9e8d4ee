using Gantry.Auth.SigV4;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Auth.Tests.SigV4;

/// <summary>Vectors from the AWS SigV4 test suite and the IAM documentation example (AKIDEXAMPLE, 2015-08-30T12:36:00Z).</summary>
public sealed class SigV4VerifierTests
{
    private const string KeyId = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static SigV4Verifier Verifier(DateTimeOffset now) =>
        new((id, _) => ValueTask.FromResult(id == KeyId ? Secret : null), new FakeTimeProvider(now));

    private static SigV4Request Request(string method, string path, string? query, Dictionary<string, string> headers, string payloadHash = EmptyHash) =>
        new(method, path, query, name => headers.GetValueOrDefault(name), payloadHash);

    private static Dictionary<string, string> Headers(string signedHeaders, string signature, string scope = "20150830/us-east-1/service/aws4_request",
        string host = "example.amazonaws.com") => new()
    {
        ["host"] = host,
        ["x-amz-date"] = "20150830T123600Z",
        ["authorization"] = $"AWS4-HMAC-SHA256 Credential={KeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}",
    };

    [Theory]
    [InlineData("GET", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("POST", null, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public async Task Test_suite_vectors_verify(string method, string? query, string signature)
    {
        var result = await Verifier(SignedAt).VerifyAsync(Request(method, "/", query, Headers("host;x-amz-date", signature)), default);
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(KeyId, result.AccessKeyId);
        Assert.Equal("service", result.Service);
    }

    [Fact]
    public async Task Iam_documentation_example_verifies()
    {
        var headers = Headers("content-type;host;x-amz-date", "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            "20150830/us-east-1/iam/aws4_request", "iam.amazonaws.com");
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
        var result = await Verifier(SignedAt.AddMinutes(3)).VerifyAsync(Request("GET", "/", "?Action=ListUsers&Version=2010-05-08", headers), default);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    [Fact]
    public async Task Missing_authorization_is_MissingAuthenticationTokenException()
    {
        var result = await Verifier(SignedAt).VerifyAsync(Request("POST", "/", null, new() { ["host"] = "h" }), default);
        Assert.Equal("MissingAuthenticationTokenException", result.ErrorType);
        Assert.Equal("Missing Authentication Token", result.ErrorMessage);
    }

    [Fact]
    public async Task Altered_signature_is_InvalidSignatureException()
    {
        var headers = Headers("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf32");
        var result = await Verifier(SignedAt).VerifyAsync(Request("GET", "/", null, headers), default);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
        Assert.StartsWith("The request signature we calculated does not match", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_body_fails_verification()
    {
        var headers = Headers("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        var result = await Verifier(SignedAt).VerifyAsync(Request("POST", "/", null, headers, SigV4Canonical.Sha256Hex("{}"u8)), default);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
    }

    [Fact]
    public async Task Unknown_key_is_UnrecognizedClientException()
    {
        var headers = Headers("host;x-amz-date", "00");
        headers["authorization"] = headers["authorization"].Replace(KeyId, "AKIAUNKNOWN", StringComparison.Ordinal);
        var result = await Verifier(SignedAt).VerifyAsync(Request("GET", "/", null, headers), default);
        Assert.Equal("UnrecognizedClientException", result.ErrorType);
    }

    [Theory]
    [InlineData(16, "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)")]
    [InlineData(-16, "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)")]
    public async Task Requests_signed_more_than_15_minutes_away_are_refused(int minutes, string message)
    {
        var headers = Headers("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        var result = await Verifier(SignedAt.AddMinutes(minutes)).VerifyAsync(Request("GET", "/", null, headers), default);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
        Assert.Equal(message, result.ErrorMessage);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=00", "Credential")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=00", "host")]
    [InlineData("AWS3 Credential=x", "AWS3")]
    public async Task Malformed_authorization_is_IncompleteSignatureException(string authorization, string named)
    {
        var headers = Headers("host;x-amz-date", "00");
        headers["authorization"] = authorization;
        var result = await Verifier(SignedAt).VerifyAsync(Request("GET", "/", null, headers), default);
        Assert.Equal("IncompleteSignatureException", result.ErrorType);
        Assert.Contains(named, result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_date_must_match_the_request_date()
    {
        var headers = Headers("host;x-amz-date", "00", "20150829/us-east-1/service/aws4_request");
        var result = await Verifier(SignedAt).VerifyAsync(Request("GET", "/", null, headers), default);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
        Assert.Contains("Credential scope", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_signer_signs_the_verifier_accepts()
    {
        var time = new FakeTimeProvider(SignedAt);
        var body = """{"clusters":["default"]}"""u8.ToArray();
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:4566/") { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeClusters");
        new SigV4Signer(KeyId, Secret, "us-east-1", "ecs", time).Sign(message, body);

        var headers = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1:4566",
            ["authorization"] = message.Headers.GetValues("Authorization").Single(),
            ["x-amz-date"] = message.Headers.GetValues("X-Amz-Date").Single(),
            ["x-amz-target"] = "AmazonEC2ContainerServiceV20141113.DescribeClusters",
            ["content-type"] = "application/x-amz-json-1.1",
        };
        var result = await new SigV4Verifier((_, _) => ValueTask.FromResult<string?>(Secret), time)
            .VerifyAsync(Request("POST", "/", null, headers, SigV4Canonical.Sha256Hex(body)), default);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }
}
