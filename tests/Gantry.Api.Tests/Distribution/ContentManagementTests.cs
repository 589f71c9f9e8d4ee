using System.Net;
using System.Text;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Conformance, content management: deleting tags, manifests and blobs.</summary>
public sealed class ContentManagementTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private readonly RegistryTestClient _client = new(host);

    [Fact]
    public async Task Deleting_a_manifest_by_digest_removes_it_and_its_tags()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "v1", json)).Dispose();
        (await _client.PushManifestAsync(repo, "v2", json)).Dispose();
        using (var delete = await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        foreach (var reference in new[] { digest, "v1", "v2" })
        {
            using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/{reference}");
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
    }

    [Fact]
    public async Task Deleting_a_tag_keeps_the_manifest()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "v1", json)).Dispose();
        using (var delete = await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using var tag = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, tag.StatusCode);
        using var byDigest = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
    }

    [Fact]
    public async Task Deleting_an_unknown_manifest_is_MANIFEST_UNKNOWN()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var delete = await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/{RegistryTestClient.DigestOf([9])}");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(delete));
    }

    [Fact]
    public async Task Deleting_a_blob_removes_it_from_the_repository()
    {
        var repo = await _client.CreateRepositoryAsync();
        var digest = await _client.PushBlobAsync(repo, Encoding.UTF8.GetBytes("to be deleted"));
        using (var delete = await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var again = await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(again));
    }

    [Fact]
    public async Task Deleting_a_referrer_removes_it_from_the_referrers_list()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (image, subject) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "app", image)).Dispose();
        var (signature, signatureDigest) = await _client.ImageAsync(repo, subject: subject, artifactType: "application/vnd.example.signature");
        (await _client.PushManifestAsync(repo, signatureDigest, signature)).Dispose();
        (await _client.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/{signatureDigest}")).Dispose();
        using var referrers = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/referrers/{subject}");
        Assert.DoesNotContain(signatureDigest, await referrers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_method_is_UNSUPPORTED_405()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Patch, $"/v2/{repo}/manifests/latest");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await RegistryTestClient.ErrorCodeAsync(response));
    }

    public void Dispose() => _client.Dispose();
}
