using System.Net;
using System.Text;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Conformance, pull: manifests and blobs by tag and digest, existence checks, and their errors.</summary>
public sealed class PullTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private readonly RegistryTestClient _client = new(host);

    [Fact]
    public async Task Base_endpoint_answers_200_to_an_authenticated_client()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task Manifest_is_pulled_by_tag_and_by_digest_byte_for_byte()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(repo);
        using (var put = await _client.PushManifestAsync(repo, "v1", json))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        }
        foreach (var reference in new[] { "v1", digest })
        {
            using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(RegistryTestClient.OciManifest, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(json, Encoding.UTF8.GetString(await get.Content.ReadAsByteArrayAsync()));
        }
    }

    [Fact]
    public async Task Head_manifest_gives_headers_without_a_body()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "v1", json)).Dispose();
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), head.Content.Headers.ContentLength);
        Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Blob_is_pulled_whole_and_by_range()
    {
        var repo = await _client.CreateRepositoryAsync();
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(5000);
        var digest = await _client.PushBlobAsync(repo, content);
        using (var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
        }
        using var range = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}", configure: r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(content[100..200], await range.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_blob_reports_its_size()
    {
        var repo = await _client.CreateRepositoryAsync();
        var digest = await _client.PushBlobAsync(repo, new byte[1234]);
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(1234, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Unknown_manifest_is_MANIFEST_UNKNOWN_404()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Blob_of_another_repository_is_BLOB_UNKNOWN_404()
    {
        var owner = await _client.CreateRepositoryAsync();
        var other = await _client.CreateRepositoryAsync();
        var digest = await _client.PushBlobAsync(owner, Encoding.UTF8.GetBytes("private layer"));
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{other}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Unknown_repository_is_NAME_UNKNOWN_and_a_bad_name_NAME_INVALID()
    {
        using var unknown = await _client.SendAsync(HttpMethod.Get, "/v2/no-such-repo/manifests/latest");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(unknown));
        using var invalid = await _client.SendAsync(HttpMethod.Get, "/v2/Bad..Name/manifests/latest");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("NAME_INVALID", await RegistryTestClient.ErrorCodeAsync(invalid));
    }

    [Fact]
    public async Task Malformed_digest_is_DIGEST_INVALID()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/sha256:xyz");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestClient.ErrorCodeAsync(response));
    }

    public void Dispose() => _client.Dispose();
}
