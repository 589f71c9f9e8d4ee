using System.Net;
using System.Text.Json;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Conformance, content discovery: tag listing with n/last pagination and the referrers API.</summary>
public sealed class ContentDiscoveryTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private readonly RegistryTestClient _client = new(host);

    [Fact]
    public async Task Tags_are_listed_in_lexical_order_and_paginated_with_n_and_last()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo);
        foreach (var tag in new[] { "b", "a", "d", "c", "e" })
        {
            (await _client.PushManifestAsync(repo, tag, json)).Dispose();
        }
        using (var all = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list"))
        {
            Assert.Equal(["a", "b", "c", "d", "e"], await TagsAsync(all));
        }
        using var first = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=2");
        Assert.Equal(["a", "b"], await TagsAsync(first));
        Assert.Contains($"/v2/{repo}/tags/list?n=2&last=b", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        using var next = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=2&last=b");
        Assert.Equal(["c", "d"], await TagsAsync(next));
        using var last = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=2&last=d");
        Assert.Equal(["e"], await TagsAsync(last));
        Assert.False(last.Headers.Contains("Link"));
        using var none = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=0");
        Assert.Empty(await TagsAsync(none));
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_are_NAME_UNKNOWN()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/nothing-here/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Referrers_list_manifests_with_that_subject_filtered_by_artifact_type()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (image, subject) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "app", image)).Dispose();
        var (signature, signatureDigest) = await _client.ImageAsync(repo, subject: subject, artifactType: "application/vnd.example.signature");
        var (sbom, sbomDigest) = await _client.ImageAsync(repo, subject: subject, artifactType: "application/vnd.example.sbom");
        foreach (var (json, digest) in new[] { (signature, signatureDigest), (sbom, sbomDigest) })
        {
            using var put = await _client.PushManifestAsync(repo, digest, json);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(subject, put.Headers.GetValues("OCI-Subject").Single());
        }
        using (var all = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/referrers/{subject}"))
        {
            Assert.Equal(RegistryTestClient.OciIndex, all.Content.Headers.ContentType!.MediaType);
            var manifests = await ManifestsAsync(all);
            Assert.Equal(new[] { signatureDigest, sbomDigest }.Order(), manifests.Select(m => m.Digest).Order());
        }
        using var filtered = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        var only = Assert.Single(await ManifestsAsync(filtered));
        Assert.Equal((sbomDigest, "application/vnd.example.sbom"), (only.Digest, only.ArtifactType));
    }

    [Fact]
    public async Task Referrers_of_a_manifest_without_any_is_an_empty_index()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/referrers/{RegistryTestClient.DigestOf([1])}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await ManifestsAsync(response));
    }

    [Fact]
    public async Task Referrers_with_a_malformed_digest_are_DIGEST_INVALID()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/referrers/not-a-digest");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<string[]> TagsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
    }

    private static async Task<List<(string Digest, string? ArtifactType)>> ManifestsAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => (m.GetProperty("digest").GetString()!, m.TryGetProperty("artifactType", out var a) ? a.GetString() : null))];
    }

    public void Dispose() => _client.Dispose();
}
