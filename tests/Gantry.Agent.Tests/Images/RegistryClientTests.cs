using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Agent.Images;
using Gantry.Oci;

namespace Gantry.Agent.Tests.Images;

public sealed class RegistryClientTests : IDisposable
{
    private static readonly byte[] ManifestBytes = Encoding.UTF8.GetBytes($$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Of("{}"u8)}}","size":2},"layers":[]}
        """);

    private readonly FakeHandler _handler = new();
    private readonly HttpClient _http;

    public RegistryClientTests()
    {
        _http = new HttpClient(_handler);
    }

    public void Dispose() => _http.Dispose();

    private static ImageReference Image(string registry = "registry.test", string repository = "team/app") => new(registry, repository, "v1", null);

    private static HttpResponseMessage Manifest() => new(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(ManifestBytes) { Headers = { ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest) } },
    };

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.3.2.1", "http://127.3.2.1/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("lab.internal:5000", "http://lab.internal:5000/")]
    [InlineData("plain.internal", "http://plain.internal/")]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com", "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/")]
    [InlineData("128.0.0.1:5000", "https://128.0.0.1:5000/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    public void Loopback_and_insecure_registries_are_spoken_to_over_http(string registry, string expected)
    {
        var client = new RegistryClient(_http, ["lab.internal:5000", "plain.internal"]);

        Assert.Equal(new Uri(expected), client.BaseAddressOf(registry));
    }

    [Fact]
    public async Task Manifests_are_asked_for_in_every_supported_media_type_with_basic_credentials()
    {
        _handler.Respond = _ => Manifest();

        var manifest = await new RegistryClient(_http).GetManifestAsync(Image(), "v1", new RegistryLogin("AWS", "secret"), TestTimeout.Token());

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("https://registry.test/v2/team/app/manifests/v1", request.Uri.ToString());
        Assert.Equal($"Basic {Convert.ToBase64String("AWS:secret"u8)}", request.Authorization);
        Assert.Equal(MediaTypes.Manifests, request.Accept);
        Assert.Equal(Digest.Of(ManifestBytes).ToString(), manifest.Digest);
        Assert.False(manifest.Manifest.IsIndex);
    }

    [Fact]
    public async Task A_bearer_challenge_runs_the_token_flow_and_the_token_is_reused()
    {
        var basic = $"Basic {Convert.ToBase64String("user:pass"u8)}";
        _handler.Respond = request => request.Uri.Host switch
        {
            "auth.test" when request.Authorization == basic => Json("""{"token":"t0k3n"}"""),
            "auth.test" => new HttpResponseMessage(HttpStatusCode.Unauthorized),
            _ when request.Authorization == "Bearer t0k3n" => Manifest(),
            _ => Challenge("""Bearer realm="https://auth.test/token",service="registry.test",scope="repository:team/app:pull" """),
        };
        var client = new RegistryClient(_http);
        var login = new RegistryLogin("user", "pass");

        await client.GetManifestAsync(Image(), "v1", login, TestTimeout.Token());
        await client.GetManifestAsync(Image(), "v1", login, TestTimeout.Token());

        Assert.Equal(
            [
                "GET https://registry.test/v2/team/app/manifests/v1 " + basic,
                "GET https://auth.test/token?service=registry.test&scope=repository%3Ateam%2Fapp%3Apull " + basic,
                "GET https://registry.test/v2/team/app/manifests/v1 Bearer t0k3n",
                "GET https://registry.test/v2/team/app/manifests/v1 Bearer t0k3n",
            ],
            _handler.Requests.Select(r => $"GET {r.Uri} {r.Authorization}"));
    }

    [Fact]
    public async Task An_anonymous_challenge_without_scope_asks_for_pull_of_the_repository()
    {
        _handler.Respond = request => request.Uri.Host switch
        {
            "auth.test" => Json("""{"access_token":"anon"}"""),
            _ when request.Authorization == "Bearer anon" => Manifest(),
            _ => Challenge("""Bearer realm="https://auth.test/token",service="hub" """),
        };

        await new RegistryClient(_http).GetManifestAsync(Image("docker.io", "nginx"), "v1", null, TestTimeout.Token());

        Assert.Equal("https://registry-1.docker.io/v2/library/nginx/manifests/v1", _handler.Requests[0].Uri.ToString());
        Assert.Null(_handler.Requests[0].Authorization);
        Assert.Equal("https://auth.test/token?service=hub&scope=repository%3Alibrary%2Fnginx%3Apull", _handler.Requests[1].Uri.ToString());
        Assert.Null(_handler.Requests[1].Authorization);
    }

    [Fact]
    public async Task A_refused_token_reads_like_ecs_pull_access_denied()
    {
        _handler.Respond = request => request.Uri.Host == "auth.test"
            ? new HttpResponseMessage(HttpStatusCode.Unauthorized)
            : Challenge("""Bearer realm="https://auth.test/token",service="registry.test" """);

        var e = await Assert.ThrowsAsync<ImagePullException>(() => new RegistryClient(_http).GetManifestAsync(Image(), "v1", null, TestTimeout.Token()));

        Assert.StartsWith("pull image manifest has been retried 1 time(s): failed to resolve ref registry.test/team/app:v1: pull access denied", e.Message, StringComparison.Ordinal);
        Assert.Contains("failed to fetch anonymous token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_refusal_reports_the_registry_error()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"""),
        };

        var e = await Assert.ThrowsAsync<ImagePullException>(() => new RegistryClient(_http).GetManifestAsync(Image(), "v1", new RegistryLogin("AWS", "bad"), TestTimeout.Token()));

        Assert.EndsWith("pull access denied, repository does not exist or may require authorization: server message: UNAUTHORIZED: authentication required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_once()
    {
        var calls = 0;
        _handler.Respond = _ => ++calls == 1 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : Manifest();

        await new RegistryClient(_http).GetManifestAsync(Image(), "v1", null, TestTimeout.Token());

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_persistent_failure_says_how_often_it_was_tried()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.BadGateway);

        var e = await Assert.ThrowsAsync<ImagePullException>(() => new RegistryClient(_http).GetManifestAsync(Image(), "v1", null, TestTimeout.Token()));

        Assert.StartsWith("pull image manifest has been retried 2 time(s): failed to resolve ref registry.test/team/app:v1: unexpected status from GET request to https://registry.test/v2/team/app/manifests/v1: 502", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_that_does_not_match_the_pinned_digest_is_refused()
    {
        _handler.Respond = _ => Manifest();
        var other = Digest.Of("other"u8).ToString();

        var e = await Assert.ThrowsAsync<ImagePullException>(() => new RegistryClient(_http).GetManifestAsync(Image(), other, null, TestTimeout.Token()));

        Assert.Contains("digest mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_blob_reads_like_ecs()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.NotFound);
        var digest = Digest.Of("layer"u8).ToString();

        var e = await Assert.ThrowsAsync<ImagePullException>(() => new RegistryClient(_http).OpenBlobAsync(Image(), digest, null, TestTimeout.Token()));

        Assert.Equal($"failed to copy: httpReadSeeker: failed open: content at https://registry.test/v2/team/app/blobs/{digest} not found: not found", e.Message);
    }

    [Fact]
    public async Task A_small_blob_is_verified_against_its_descriptor()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        var client = new RegistryClient(_http);
        var good = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Of("{}"u8).ToString(), Size = 2 };

        Assert.Equal("{}"u8.ToArray(), await client.GetBlobAsync(Image(), good, null, TestTimeout.Token()));
        var wrongDigest = good with { Digest = Digest.Of("[]"u8).ToString() };
        Assert.Contains("digest mismatch", (await Assert.ThrowsAsync<ImagePullException>(() => client.GetBlobAsync(Image(), wrongDigest, null, TestTimeout.Token()))).Message, StringComparison.Ordinal);
        var wrongSize = good with { Size = 1 };
        Assert.Contains("size mismatch", (await Assert.ThrowsAsync<ImagePullException>(() => client.GetBlobAsync(Image(), wrongSize, null, TestTimeout.Token()))).Message, StringComparison.Ordinal);
    }

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header.Trim());
        return response;
    }

    private sealed record Recorded(Uri Uri, string? Authorization, IReadOnlyList<string> Accept);

    /// <summary>Answers every request with <see cref="Respond"/> and records it.</summary>
    private sealed class FakeHandler : HttpMessageHandler
    {
        public List<Recorded> Requests { get; } = [];

        public Func<Recorded, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var recorded = new Recorded(request.RequestUri!, request.Headers.Authorization?.ToString(), [.. request.Headers.Accept.Select(a => a.MediaType!)]);
            lock (Requests)
            {
                Requests.Add(recorded);
            }
            return Task.FromResult(Respond(recorded));
        }
    }
}
