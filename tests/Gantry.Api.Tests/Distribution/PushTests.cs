using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Conformance, push: monolithic, single-POST and chunked uploads, status, cancel, mounts, manifests.</summary>
public sealed class PushTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private readonly RegistryTestClient _client = new(host);

    [Fact]
    public async Task Single_post_with_digest_stores_the_blob()
    {
        var repo = await _client.CreateRepositoryAsync();
        var content = RandomNumberGenerator.GetBytes(3000);
        var digest = RegistryTestClient.DigestOf(content);
        using var post = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={digest}", RegistryTestClient.Octets(content));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal($"/v2/{repo}/blobs/{digest}", post.Headers.Location!.ToString());
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Chunked_upload_reports_ranges_and_completes()
    {
        var repo = await _client.CreateRepositoryAsync();
        var content = RandomNumberGenerator.GetBytes(10_000);
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        var location = start.Headers.Location!;
        foreach (var (from, to) in new[] { (0, 4000), (4000, 9000), (9000, 10_000) })
        {
            using var patch = await _client.SendAsync(HttpMethod.Patch, location.ToString(), RegistryTestClient.Octets(content[from..to]),
                r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{to - 1}"));
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{to - 1}", patch.Headers.GetValues("Range").Single());
            location = patch.Headers.Location!;
        }
        using (var status = await _client.SendAsync(HttpMethod.Get, location.ToString()))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-9999", status.Headers.GetValues("Range").Single());
        }
        var digest = RegistryTestClient.DigestOf(content);
        using var put = await _client.SendAsync(HttpMethod.Put, RegistryTestClient.WithDigest(location, digest));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Out_of_order_chunk_is_416_and_changes_nothing()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        (await _client.SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(new byte[100]),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "0-99"))).Dispose();
        using var skip = await _client.SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(new byte[100]),
            r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "200-299"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, skip.StatusCode);
        Assert.Equal("0-99", skip.Headers.GetValues("Range").Single());
        using var status = await _client.SendAsync(HttpMethod.Get, location);
        Assert.Equal("0-99", status.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task Wrong_digest_on_completion_is_DIGEST_INVALID_and_stores_nothing()
    {
        var repo = await _client.CreateRepositoryAsync();
        var content = Encoding.UTF8.GetBytes("the real content");
        var claimed = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("something else"));
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        using var put = await _client.SendAsync(HttpMethod.Put, RegistryTestClient.WithDigest(start.Headers.Location!, claimed), RegistryTestClient.Octets(content));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestClient.ErrorCodeAsync(put));
        foreach (var digest in new[] { claimed, RegistryTestClient.DigestOf(content) })
        {
            using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}");
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
    }

    [Fact]
    public async Task Completing_without_a_digest_is_DIGEST_INVALID()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        using var put = await _client.SendAsync(HttpMethod.Put, start.Headers.Location!.ToString(), RegistryTestClient.Octets([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestClient.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Truncated_upload_is_never_visible()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        var content = RandomNumberGenerator.GetBytes(2000);
        var digest = RegistryTestClient.DigestOf(content);
        // A client that promises 2000 bytes, sends 1000 and hangs up.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(host.Endpoint.Host, host.Endpoint.Port);
            var stream = tcp.GetStream();
            var head = $"PUT {location}?digest={digest} HTTP/1.1\r\nHost: {host.Endpoint.Authority}\r\nAuthorization: {_client.Http.DefaultRequestHeaders.Authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: 2000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(content.AsMemory(0, 1000));
            await stream.FlushAsync();
        }
        await Eventually.TrueAsync(async () =>
        {
            using var status = await _client.SendAsync(HttpMethod.Get, location);
            return status.StatusCode == HttpStatusCode.NoContent && status.Headers.GetValues("Range").Single() == "0-0";
        });
        using var blob = await _client.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task Cancelled_upload_is_gone()
    {
        var repo = await _client.CreateRepositoryAsync();
        using var start = await _client.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        using (var cancel = await _client.SendAsync(HttpMethod.Delete, location))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }
        using var status = await _client.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(status));
    }

    [Fact]
    public async Task Cross_repository_mount_links_without_upload()
    {
        var source = await _client.CreateRepositoryAsync();
        var target = await _client.CreateRepositoryAsync();
        var content = RandomNumberGenerator.GetBytes(4096);
        var digest = await _client.PushBlobAsync(source, content);
        using var mount = await _client.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={digest}&from={source}");
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{target}/blobs/{digest}");
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_of_a_blob_the_source_lacks_falls_back_to_an_upload()
    {
        var source = await _client.CreateRepositoryAsync();
        var target = await _client.CreateRepositoryAsync();
        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("never pushed"));
        using var mount = await _client.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={digest}&from={source}");
        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.Contains("/blobs/uploads/", mount.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_referencing_a_missing_blob_is_MANIFEST_BLOB_UNKNOWN_and_not_stored()
    {
        var repo = await _client.CreateRepositoryAsync();
        var missing = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("missing"));
        var json = $$"""{"schemaVersion":2,"mediaType":"{{RegistryTestClient.OciManifest}}","config":{"mediaType":"{{RegistryTestClient.OciConfig}}","digest":"{{missing}}","size":7},"layers":[]}""";
        using var put = await _client.PushManifestAsync(repo, "broken", json);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(put));
        using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/broken");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"schemaVersion":1}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:00","size":1}}""")]
    public async Task Malformed_manifest_is_MANIFEST_INVALID(string json)
    {
        var repo = await _client.CreateRepositoryAsync();
        using var put = await _client.PushManifestAsync(repo, "bad", json);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await RegistryTestClient.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Manifest_pushed_by_the_wrong_digest_is_DIGEST_INVALID()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(repo);
        var wrong = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("other"));
        using var put = await _client.PushManifestAsync(repo, wrong, json);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestClient.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Oversized_manifest_is_413()
    {
        var repo = await _client.CreateRepositoryAsync();
        var json = "{\"schemaVersion\":2,\"pad\":\"" + new string('x', 4 * 1024 * 1024) + "\"}";
        using var put = await _client.PushManifestAsync(repo, "huge", json);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
    }

    [Fact]
    public async Task Docker_schema2_manifest_and_an_index_over_it_are_accepted()
    {
        var repo = await _client.CreateRepositoryAsync();
        var (oci, _) = await _client.ImageAsync(repo);
        var docker = oci.Replace(RegistryTestClient.OciManifest, "application/vnd.docker.distribution.manifest.v2+json", StringComparison.Ordinal)
            .Replace(RegistryTestClient.OciConfig, "application/vnd.docker.container.image.v1+json", StringComparison.Ordinal)
            .Replace(RegistryTestClient.OciLayer, "application/vnd.docker.image.rootfs.diff.tar.gzip", StringComparison.Ordinal);
        using var put = await _client.PushManifestAsync(repo, "docker", docker, "application/vnd.docker.distribution.manifest.v2+json");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var child = put.Headers.GetValues("Docker-Content-Digest").Single();
        var index = $$$"""{"schemaVersion":2,"mediaType":"{{{RegistryTestClient.OciIndex}}}","manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{child}}}","size":{{{Encoding.UTF8.GetByteCount(docker)}}},"platform":{"architecture":"amd64","os":"linux"}}]}""";
        using var putIndex = await _client.PushManifestAsync(repo, "multi", index, RegistryTestClient.OciIndex);
        Assert.Equal(HttpStatusCode.Created, putIndex.StatusCode);
        using var get = await _client.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/multi");
        Assert.Equal(RegistryTestClient.OciIndex, get.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Index_listing_a_manifest_not_in_the_repository_is_refused()
    {
        var repo = await _client.CreateRepositoryAsync();
        var missing = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("no such manifest"));
        var index = $$"""{"schemaVersion":2,"mediaType":"{{RegistryTestClient.OciIndex}}","manifests":[{"mediaType":"{{RegistryTestClient.OciManifest}}","digest":"{{missing}}","size":10}]}""";
        using var put = await _client.PushManifestAsync(repo, "multi", index, RegistryTestClient.OciIndex);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Immutable_repository_refuses_to_move_a_tag_but_accepts_the_same_digest()
    {
        var repo = await _client.CreateRepositoryAsync(mutability: "IMMUTABLE");
        var (first, _) = await _client.ImageAsync(repo);
        var (second, _) = await _client.ImageAsync(repo);
        (await _client.PushManifestAsync(repo, "v1", first)).Dispose();
        using (var again = await _client.PushManifestAsync(repo, "v1", first))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }
        using var move = await _client.PushManifestAsync(repo, "v1", second);
        Assert.Equal(HttpStatusCode.BadRequest, move.StatusCode);
        Assert.Equal("TAG_INVALID", await RegistryTestClient.ErrorCodeAsync(move));
    }

    public void Dispose() => _client.Dispose();
}
