using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Raw /v2/ requests against the test host, authenticated as ECR clients are (Basic AWS:token).</summary>
public sealed class RegistryTestClient : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    private readonly ApiTestHost _host;

    public RegistryTestClient(ApiTestHost host)
    {
        _host = host;
        var (password, _) = host.Registry.Tokens.Issue(host.Key.AccessKeyId, host.Key.UserName);
        Http = new HttpClient { BaseAddress = host.Endpoint };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{password}")));
    }

    public HttpClient Http { get; }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task<string> CreateRepositoryAsync(string prefix = "conformance", string mutability = "MUTABLE")
    {
        var name = UniqueName(prefix);
        var (status, body) = await _host.CallAsync("CreateRepository", $$"""{"repositoryName":"{{name}}","imageTagMutability":"{{mutability}}"}""", "AmazonEC2ContainerRegistry_V20150921");
        Assert.True(status == 200, body.ToString());
        return name;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    /// <summary>POST then PUT with the whole blob (the monolithic two-step upload).</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        using var start = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var digest = DigestOf(content);
        using var put = await SendAsync(HttpMethod.Put, WithDigest(start.Headers.Location!, digest), Octets(content));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    public async Task<HttpResponseMessage> PushManifestAsync(string repository, string reference, string json, string mediaType = OciManifest)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>Pushes a config and one random layer, and returns an image manifest over them (not yet pushed).</summary>
    public async Task<(string Json, string Digest)> ImageAsync(string repository, int layerBytes = 1024, string? subject = null, string? artifactType = null)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"nonce":"{{Guid.NewGuid()}}"}""");
        var layer = RandomNumberGenerator.GetBytes(layerBytes);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var subjectPart = subject is null ? "" : $$""","subject":{"mediaType":"{{OciManifest}}","digest":"{{subject}}","size":100}""";
        var artifactPart = artifactType is null ? "" : $$""","artifactType":"{{artifactType}}" """;
        var json = $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"{{OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"{{OciLayer}}","digest":"{{layerDigest}}","size":{{layer.Length}}}]{{subjectPart}}{{artifactPart}}}""";
        return (json, DigestOf(Encoding.UTF8.GetBytes(json)));
    }

    public static ByteArrayContent Octets(byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }

    public static string WithDigest(Uri location, string digest)
    {
        var text = location.ToString();
        return text + (text.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);
    }

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    public void Dispose() => Http.Dispose();
}
