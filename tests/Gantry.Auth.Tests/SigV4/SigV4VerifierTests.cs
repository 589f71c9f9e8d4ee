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

    private static readonly string[] JsonSignedWhenPresent = ["content-type", "x-amz-target"];

    private static SigV4Verifier Verifier(DateTimeOffset now) =>
        new((id, _) => ValueTask.FromResult(id == KeyId ? Secret : null), "us-east-1", JsonSignedWhenPresent, new FakeTimeProvider(now));

    private static SigV4Request Request(string method, string path, string? query, Dictionary<string, string> headers) =>
        new(method, path, query, name => headers.GetValueOrDefault(name));

    /// <summary>Both halves: the head, then the signature over a body hashing to <paramref name="payloadHash"/>.</summary>
    private static async Task<SigV4Failure?> VerifyAsync(SigV4Verifier verifier, SigV4Request request, string payloadHash = EmptyHash, string? service = "service")
    {
        var check = await verifier.CheckHeadersAsync(request, service, default);
        return check.Failure ?? check.Pending!.Verify(payloadHash);
    }

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
        var check = await Verifier(SignedAt).CheckHeadersAsync(Request(method, "/", query, Headers("host;x-amz-date", signature)), "service", default);
        Assert.Null(check.Failure);
        Assert.Equal(KeyId, check.Pending!.AccessKeyId);
        Assert.Null(check.Pending.Verify(EmptyHash));
    }

    [Fact]
    public async Task Iam_documentation_example_verifies()
    {
        var headers = Headers("content-type;host;x-amz-date", "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            "20150830/us-east-1/iam/aws4_request", "iam.amazonaws.com");
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
        var failure = await VerifyAsync(Verifier(SignedAt.AddMinutes(3)), Request("GET", "/", "?Action=ListUsers&Version=2010-05-08", headers), service: "iam");
        Assert.Null(failure);
    }

    [Fact]
    public async Task Missing_authorization_is_MissingAuthenticationTokenException()
    {
        var failure = await VerifyAsync(Verifier(SignedAt), Request("POST", "/", null, new() { ["host"] = "h" }));
        Assert.Equal(new SigV4Failure("MissingAuthenticationTokenException", "Missing Authentication Token"), failure);
    }

    [Fact]
    public async Task Altered_signature_is_InvalidSignatureException()
    {
        var headers = Headers("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf32");
        var failure = await VerifyAsync(Verifier(SignedAt), Request("GET", "/", null, headers));
        Assert.Equal("InvalidSignatureException", failure?.ErrorType);
        Assert.StartsWith("The request signature we calculated does not match", failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_body_fails_verification()
    {
        var headers = Headers("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        var failure = await VerifyAsync(Verifier(SignedAt), Request("POST", "/", null, headers), SigV4Canonical.Sha256Hex("{}"u8));
        Assert.Equal("InvalidSignatureException", failure?.ErrorType);
    }

    [Fact]
    public async Task Unknown_key_is_UnrecognizedClientException()
    {
        var headers = Headers("host;x-amz-date", "00");
        headers["authorization"] = headers["authorization"].Replace(KeyId, "AKIAUNKNOWN", StringComparison.Ordinal);
        var failure = await VerifyAsync(Verifier(SignedAt), Request("GET", "/", null, headers));
        Assert.Equal("UnrecognizedClientException", failure?.ErrorType);
    }

    [Theory]
    [InlineData(16, "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)")]
    [InlineData(-16, "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)")]
    public async Task Requests_signed_more_than_15_minutes_away_are_refused(int minutes, string message)
    {
        var headers = Headers("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        var failure = await VerifyAsync(Verifier(SignedAt.AddMinutes(minutes)), Request("GET", "/", null, headers));
        Assert.Equal(new SigV4Failure("InvalidSignatureException", message), failure);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=00", "Credential")]
    [InlineData("AWS3 Credential=x", "AWS3")]
    public async Task Malformed_authorization_is_IncompleteSignatureException(string authorization, string named)
    {
        var headers = Headers("host;x-amz-date", "00");
        headers["authorization"] = authorization;
        var failure = await VerifyAsync(Verifier(SignedAt), Request("GET", "/", null, headers));
        Assert.Equal("IncompleteSignatureException", failure?.ErrorType);
        Assert.Contains(named, failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_date_must_match_the_request_date()
    {
        var headers = Headers("host;x-amz-date", "00", "20150829/us-east-1/service/aws4_request");
        var failure = await VerifyAsync(Verifier(SignedAt), Request("GET", "/", null, headers));
        Assert.Equal("InvalidSignatureException", failure?.ErrorType);
        Assert.Contains("Credential scope", failure?.Message, StringComparison.Ordinal);
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
        var verifier = new SigV4Verifier((_, _) => ValueTask.FromResult<string?>(Secret), "us-east-1", JsonSignedWhenPresent, time);
        Assert.Null(await VerifyAsync(verifier, Request("POST", "/", null, headers), SigV4Canonical.Sha256Hex(body), "ecs"));
    }

    [Theory]
    [InlineData("20150830/eu-west-9/s3/aws4_request",
        "Credential should be scoped to a valid region, not 'eu-west-9'. Credential should be scoped to correct service: 'ecs'.")]
    [InlineData("20150830/eu-west-9/ecs/aws4_request", "Credential should be scoped to a valid region, not 'eu-west-9'.")]
    [InlineData("20150830/us-east-1/s3/aws4_request", "Credential should be scoped to correct service: 'ecs'.")]
    [InlineData("20150829/us-east-1/logs/aws4_request",
        "Credential should be scoped to correct service: 'ecs'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T123600Z'.")]
    public async Task Scope_must_name_this_region_and_the_targets_service(string scope, string message)
    {
        var headers = Headers("host;x-amz-date", "00", scope);
        var check = await Verifier(SignedAt).CheckHeadersAsync(Request("POST", "/", null, headers), "ecs", default);
        Assert.Equal(new SigV4Failure("InvalidSignatureException", message), check.Failure);
    }

    [Theory]
    [InlineData("x-amz-date", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    [InlineData("host", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")]
    [InlineData("host;x-amz-date", "'Content-Type' must be a 'SignedHeader' in the AWS Authorization.")]
    [InlineData("content-type;host;x-amz-date", "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")]
    public async Task Host_date_content_type_and_target_must_be_signed(string signedHeaders, string message)
    {
        var headers = Headers(signedHeaders, "00");
        headers["content-type"] = "application/x-amz-json-1.1";
        headers["x-amz-target"] = "AmazonEC2ContainerServiceV20141113.CreateCluster";
        var check = await Verifier(SignedAt).CheckHeadersAsync(Request("POST", "/", null, headers), "service", default);
        Assert.Equal(new SigV4Failure("InvalidSignatureException", message), check.Failure);
    }

    [Fact]
    public async Task Content_type_and_target_need_signing_only_when_sent()
    {
        var headers = Headers("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        Assert.Null(await VerifyAsync(Verifier(SignedAt), Request("POST", "/", null, headers)));
    }

    [Fact]
    public async Task Unsigned_payload_is_refused_before_the_body()
    {
        var headers = Headers("host;x-amz-content-sha256;x-amz-date", "00");
        headers["x-amz-content-sha256"] = SigV4Canonical.UnsignedPayload;
        var check = await Verifier(SignedAt).CheckHeadersAsync(Request("POST", "/", null, headers), "service", default);
        Assert.Null(check.Pending);
        Assert.Equal("InvalidSignatureException", check.Failure?.ErrorType);
    }

    [Fact]
    public async Task The_head_is_checked_before_the_body_and_the_signature_after()
    {
        var headers = Headers("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        var check = await Verifier(SignedAt).CheckHeadersAsync(Request("POST", "/", null, headers), "service", default);
        Assert.NotNull(check.Pending);
        Assert.Equal("InvalidSignatureException", check.Pending.Verify(SigV4Canonical.Sha256Hex("{}"u8))?.ErrorType);
        Assert.Null(check.Pending.Verify(EmptyHash));
    }
}
