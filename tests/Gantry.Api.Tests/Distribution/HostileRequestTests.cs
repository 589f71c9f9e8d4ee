using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Requests the registry once accepted though the spec or distribution refuses them (issue 12, item 7).</summary>
public sealed class HostileRequestTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private const int LayerBytes = 1500;
    private readonly RegistryTestClient _client = new(host);

    [Theory]
    [InlineData(LayerBytes + 1)]
    [InlineData(LayerBytes - 1)]
    [InlineData(0)]
    public async Task Manifest_whose_layer_size_differs_from_the_stored_blob_is_MANIFEST_BLOB_UNKNOWN_and_not_stored(int declared)
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo, LayerBytes);
        var lying = json.Replace($"\"size\":{LayerBytes}}}", $"\"size\":{declared}}}", StringComparison.Ordinal);
        Assert.NotEqual(json, lying);

        await AssertManifestBlobUnknownAsync(repo, lying);
    }

    [Fact]
    public async Task Manifest_whose_config_size_differs_from_the_stored_blob_is_MANIFEST_BLOB_UNKNOWN()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo, LayerBytes);
        var configSize = json.Split("\"size\":")[1].Split('}')[0];
        var lying = json.Replace($"\"size\":{configSize}}}", $"\"size\":{int.Parse(configSize, System.Globalization.CultureInfo.InvariantCulture) + 7}}}", StringComparison.Ordinal);

        await AssertManifestBlobUnknownAsync(repo, lying);
    }

    [Fact]
    public async Task Manifest_listing_one_blob_twice_with_different_sizes_is_refused()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo, LayerBytes);
        var layer = json[(json.IndexOf("\"layers\":[", StringComparison.Ordinal) + 10)..json.LastIndexOf(']')];
        var twice = json.Replace(layer, layer + "," + layer.Replace($"\"size\":{LayerBytes}", "\"size\":1", StringComparison.Ordinal), StringComparison.Ordinal);

        await AssertManifestBlobUnknownAsync(repo, twice);
    }

    [Fact]
    public async Task Index_whose_child_size_differs_from_the_stored_manifest_is_MANIFEST_BLOB_UNKNOWN()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, digest, json)).Dispose();
        var index = $$"""{"schemaVersion":2,"mediaType":"{{RegistryTestClient.OciIndex}}","manifests":[{"mediaType":"{{RegistryTestClient.OciManifest}}","digest":"{{digest}}","size":{{Encoding.UTF8.GetByteCount(json) + 1}}}]}""";

        await AssertManifestBlobUnknownAsync(repo, index, RegistryTestClient.OciIndex);
    }

    [Fact]
    public async Task Patch_whose_Content_Range_end_disagrees_with_Content_Length_is_SIZE_INVALID_and_appends_nothing()
    {
        var location = await StartUploadWithAsync(100);

        // Content-Range says 100 bytes (100-199), the body has 50.
        using var patch = await _client.SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(new byte[50]),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "100-199"));

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal("SIZE_INVALID", await RegistryTestClient.ErrorCodeAsync(patch));
        Assert.Equal("0-99", await UploadRangeAsync(location));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(150)]
    public async Task Chunked_patch_whose_body_is_not_its_Content_Range_is_SIZE_INVALID_and_appends_nothing(int bodyBytes)
    {
        var location = await StartUploadWithAsync(100);
        var body = new StreamContent(new MemoryStream(new byte[bodyBytes]));
        body.Headers.ContentType = new("application/octet-stream");

        using var patch = await _client.SendAsync(HttpMethod.Patch, location, body, r =>
        {
            r.Headers.TransferEncodingChunked = true;
            r.Content!.Headers.TryAddWithoutValidation("Content-Range", "100-199");
        });

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal("SIZE_INVALID", await RegistryTestClient.ErrorCodeAsync(patch));
        Assert.Equal("0-99", await UploadRangeAsync(location));
    }

    [Theory]
    [InlineData("199-100")]
    [InlineData("100-")]
    [InlineData("100-x")]
    [InlineData("100-9223372036854775807")]
    public async Task Patch_with_a_malformed_or_backwards_Content_Range_is_416_and_appends_nothing(string range)
    {
        var location = await StartUploadWithAsync(100);

        using var patch = await _client.SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(new byte[100]),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, patch.StatusCode);
        Assert.Equal("0-99", patch.Headers.GetValues("Range").Single());
        Assert.Equal("0-99", await UploadRangeAsync(location));
    }

    [Fact]
    public async Task Patch_to_an_unknown_upload_is_BLOB_UPLOAD_UNKNOWN_even_with_a_range()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var patch = await _client.SendAsync(HttpMethod.Patch, $"/v2/{repo}/blobs/uploads/{new string('a', 32)}", RegistryTestClient.Octets(new byte[10]),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "5-14"));
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(patch));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("TRACE")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Methods_other_than_GET_and_HEAD_on_the_base_are_UNSUPPORTED_405_with_Allow(string method)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), "/v2/", method == "TRACE" ? null : new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await RegistryTestClient.ErrorCodeAsync(response));
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GET_and_HEAD_on_the_base_still_answer_200()
    {
        using var get = await _client.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var head = await _client.SendAsync(HttpMethod.Head, "/v2/");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task An_unsupported_method_on_a_repository_path_names_the_allowed_ones()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/tags/list");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("+5")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    public async Task Invalid_n_on_tags_list_is_PAGINATION_NUMBER_INVALID_400(string n)
    {
        var repo = await _client.CreateRepositoryAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n={n}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PAGINATION_NUMBER_INVALID", await RegistryTestClient.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_very_large_n_is_clamped_and_still_lists_the_tags()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "v1", json)).Dispose();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n={int.MaxValue}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"v1\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Pushes a manifest as tag <c>refused</c>: it must be MANIFEST_BLOB_UNKNOWN and leave no tag behind.</summary>
    private async Task AssertManifestBlobUnknownAsync(string repo, string json, string mediaType = RegistryTestClient.OciManifest)
    {
        using var put = await _client.PushManifestAsync(repo, "refused", json, mediaType);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(put));
        using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/refused");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    /// <summary>Starts an upload and appends <paramref name="bytes"/> random bytes; returns its location.</summary>
    private async Task<string> StartUploadWithAsync(int bytes)
    {
        var repo = await _client.CreateRepositoryAsync();
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        using var first = await _client.SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(RandomNumberGenerator.GetBytes(bytes)),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", $"0-{bytes - 1}"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        return location;
    }

    private async Task<string> UploadRangeAsync(string location)
    {
        using var status = await _client.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        return status.Headers.GetValues("Range").Single();
    }

    public void Dispose() => _client.Dispose();
}
