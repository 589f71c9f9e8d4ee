using System.Net;
using System.Text;
using Gantry.Oci.Build;
using Gantry.Oci.Push;

namespace Gantry.Oci.Tests.Push;

public sealed class RegistryPusherTests : IDisposable
{
    private static readonly Uri Registry = new("http://registry.test:5000/");
    private static readonly RegistryCredentials Credentials = new("AWS", "s3cret");

    private readonly TempDirectory _temp = new();
    private readonly byte[] _layer = Encoding.ASCII.GetBytes("0123456789");
    private readonly byte[] _config = Encoding.ASCII.GetBytes("""{"os":"linux"}""");
    private readonly BuiltImage _image;

    public RegistryPusherTests()
    {
        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        _image = new BuiltImage(manifest, Digest.Of(manifest), [Blob(_layer, MediaTypes.OciLayerGzip), Blob(_config, MediaTypes.OciConfig)]);
    }

    public void Dispose() => _temp.Dispose();

    private BuiltBlob Blob(byte[] content, string mediaType)
    {
        var digest = Digest.Of(content);
        var path = _temp.Combine(digest.Hex);
        File.WriteAllBytes(path, content);
        return new BuiltBlob(new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length }, path);
    }

    private static async Task PushAsync(FakeRegistryHandler registry, BuiltImage image, IProgress<PushProgress>? progress = null, int chunkSize = 4)
    {
        using var http = new HttpClient(registry);
        var pusher = new RegistryPusher(http, Registry, Credentials, chunkSize);
        await pusher.PushAsync(image, "team/web", "v1", progress, TestTimeout.Token());
    }

    private string LayerDigest => Digest.Of(_layer).ToString();

    [Fact]
    public async Task A_missing_blob_is_uploaded_in_chunks_with_inclusive_content_ranges()
    {
        var registry = new FakeRegistryHandler();

        await PushAsync(registry, _image);

        var patches = registry.Requests.Where(r => r.Method == HttpMethod.Patch && r.Uri.AbsolutePath.EndsWith("upload1", StringComparison.Ordinal)).ToList();
        Assert.Equal(["0-3", "4-7", "8-9"], patches.Select(p => p.ContentRange));
        Assert.Equal([4L, 4L, 2L], patches.Select(p => p.ContentLength));
        Assert.All(patches, p => Assert.Equal("application/octet-stream", p.ContentType));
        Assert.Equal(_layer, registry.Blobs[LayerDigest]);
        Assert.Equal(_config, registry.Blobs[Digest.Of(_config).ToString()]);
    }

    [Fact]
    public async Task Each_step_follows_the_location_the_previous_one_returned()
    {
        var registry = new FakeRegistryHandler();

        await PushAsync(registry, _image);

        var layerRequests = registry.Requests.TakeWhile(r => r.Method != HttpMethod.Head || r.Uri.AbsolutePath.EndsWith(LayerDigest, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                $"HEAD http://registry.test:5000/v2/team/web/blobs/{LayerDigest}",
                "POST http://registry.test:5000/v2/team/web/blobs/uploads/",
                "PATCH http://registry.test:5000/v2/team/web/blobs/uploads/upload1?_state=0",
                "PATCH http://registry.test:5000/v2/team/web/blobs/uploads/upload1?_state=4",
                "PATCH http://registry.test:5000/v2/team/web/blobs/uploads/upload1?_state=8",
                $"PUT http://registry.test:5000/v2/team/web/blobs/uploads/upload1?_state=10&digest={Uri.EscapeDataString(LayerDigest)}",
            ],
            layerRequests.Select(r => $"{r.Method} {r.Uri.AbsoluteUri}"));
        var put = layerRequests[^1];
        Assert.True(put.Body is null || put.Body.Length == 0);
    }

    [Fact]
    public async Task An_absolute_upload_location_is_followed_as_is()
    {
        var registry = new FakeRegistryHandler { UploadBase = new Uri("http://uploads.test/") };

        await PushAsync(registry, _image);

        Assert.All(registry.Requests.Where(r => r.Method == HttpMethod.Patch), r => Assert.Equal("uploads.test", r.Uri.Host));
        Assert.Equal(_layer, registry.Blobs[LayerDigest]);
    }

    [Fact]
    public async Task A_blob_the_registry_has_is_skipped()
    {
        var registry = new FakeRegistryHandler();
        registry.Blobs[LayerDigest] = _layer;
        var reports = new List<PushProgress>();

        await PushAsync(registry, _image, new SynchronousProgress(reports));

        Assert.Single(registry.Requests, r => r.Method == HttpMethod.Post);
        Assert.DoesNotContain(registry.Requests, r => r.Uri.AbsoluteUri.Contains(Uri.EscapeDataString(LayerDigest), StringComparison.Ordinal));
        Assert.Contains(new PushProgress(LayerDigest, _layer.Length, _layer.Length, Skipped: true), reports);
    }

    [Fact]
    public async Task The_manifest_is_put_under_the_tag_with_its_media_type_after_the_blobs()
    {
        var registry = new FakeRegistryHandler();

        await PushAsync(registry, _image);

        var last = registry.Requests[^1];
        Assert.Equal((HttpMethod.Put, "/v2/team/web/manifests/v1"), (last.Method, last.Uri.AbsolutePath));
        Assert.Equal(MediaTypes.OciManifest, last.ContentType);
        Assert.Equal(_image.Manifest.ToArray(), registry.Manifests["v1"].Body);
    }

    [Fact]
    public async Task Every_request_carries_the_basic_credentials()
    {
        var registry = new FakeRegistryHandler();

        await PushAsync(registry, _image);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:s3cret"));
        Assert.All(registry.Requests, r => Assert.Equal(expected, r.Authorization));
    }

    [Fact]
    public async Task Progress_counts_the_bytes_of_each_chunk()
    {
        var registry = new FakeRegistryHandler();
        var reports = new List<PushProgress>();

        await PushAsync(registry, _image, new SynchronousProgress(reports));

        Assert.Equal([0L, 4L, 8L, 10L], reports.Where(r => r.Digest == LayerDigest).Select(r => r.BytesDone));
        Assert.All(reports, r => Assert.False(r.Skipped));
        Assert.True(reports.Last(r => r.Digest == LayerDigest).IsComplete);
    }

    [Fact]
    public async Task A_registry_error_body_is_surfaced_in_the_exception()
    {
        var registry = new FakeRegistryHandler
        {
            Override = r => r.Uri.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal)
                ? FakeRegistryHandler.Error(HttpStatusCode.BadRequest, "MANIFEST_INVALID", "manifest invalid")
                : null,
        };

        var error = await Assert.ThrowsAsync<RegistryPushException>(() => PushAsync(registry, _image));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("MANIFEST_INVALID: manifest invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_head_stops_the_push_with_its_status()
    {
        var registry = new FakeRegistryHandler { Override = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized) };

        var error = await Assert.ThrowsAsync<RegistryPushException>(() => PushAsync(registry, _image));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task A_non_json_error_body_is_surfaced_as_text()
    {
        var registry = new FakeRegistryHandler
        {
            Override = r => r.Method == HttpMethod.Post
                ? new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("disk full") }
                : null,
        };

        var error = await Assert.ThrowsAsync<RegistryPushException>(() => PushAsync(registry, _image));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_blob_is_committed_without_chunks()
    {
        var registry = new FakeRegistryHandler();
        var empty = Blob([], MediaTypes.OciEmpty);
        var reports = new List<PushProgress>();

        await PushAsync(registry, _image with { Blobs = [empty] }, new SynchronousProgress(reports));

        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Patch);
        Assert.Empty(registry.Blobs[empty.Descriptor.Digest]);
        Assert.Equal(new PushProgress(empty.Descriptor.Digest, 0, 0, Skipped: false), Assert.Single(reports));
    }

    [Theory]
    [InlineData("Team/Web", "v1")]
    [InlineData("team/web", "-bad")]
    public async Task Invalid_names_are_refused_before_any_request(string repository, string tag)
    {
        var registry = new FakeRegistryHandler();
        using var http = new HttpClient(registry);
        var pusher = new RegistryPusher(http, Registry, null);

        await Assert.ThrowsAsync<ArgumentException>(() => pusher.PushAsync(_image, repository, tag, null, TestTimeout.Token()));

        Assert.Empty(registry.Requests);
    }

    [Fact]
    public void Credentials_never_print_the_password() =>
        Assert.DoesNotContain("s3cret", Credentials.ToString(), StringComparison.Ordinal);

    /// <summary>Collects reports as they are made (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SynchronousProgress(List<PushProgress> reports) : IProgress<PushProgress>
    {
        public void Report(PushProgress value) => reports.Add(value);
    }
}
