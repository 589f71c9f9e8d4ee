using Gantry.Registry.Content;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Registry.Tests.Content;

/// <summary>
/// The harness's clock starts at the real current time; advancing it by <see cref="Later"/> makes every link made
/// and every file written so far older than <see cref="Grace"/>.
/// </summary>
public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private const string Repo = "team/app";
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private static readonly TimeSpan UploadExpiry = TimeSpan.FromHours(1);
    private static readonly TimeSpan Later = TimeSpan.FromHours(2);
    private RegistryHarness _registry = null!;
    private GarbageCollector _collector = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryHarness.CreateAsync();
        _collector = new GarbageCollector(_registry.Catalog, _registry.Uploads, _registry.Time, NullLogger<GarbageCollector>.Instance);
        await _registry.CreateRepositoryAsync(Repo);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task An_old_unreferenced_link_and_its_blob_are_removed()
    {
        var orphan = await _registry.AddBlobAsync(Repo, TestContent.Random(3000));
        _registry.Time.Advance(Later);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(LinksRemoved: 1, BlobsRemoved: 1, BytesFreed: 3000, UploadsRemoved: 0), result);
        Assert.Null(await _registry.Catalog.FindBlobAsync(Repo, orphan.Digest, _registry.Ct));
        Assert.Null(_registry.Blobs.SizeOf(orphan.Digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_registry.Blobs.IngestDirectory));
    }

    [Fact]
    public async Task Blobs_referenced_by_an_image_are_kept()
    {
        var config = await _registry.AddBlobAsync(Repo, TestContent.Utf8("""{"os":"linux"}"""));
        var layer = await _registry.AddBlobAsync(Repo, TestContent.Random(3000));
        var manifest = TestManifests.Image(config, [layer]);
        await _registry.PushAsync(Repo, "v1", manifest);
        _registry.Time.Advance(Later);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(0, 0, 0, 0), result);
        foreach (var blob in new[] { config, layer, TestManifests.AsBlob(manifest) })
        {
            Assert.Equal(blob.Size, _registry.Blobs.SizeOf(blob.Digest));
            Assert.NotNull(await _registry.Catalog.FindBlobAsync(Repo, blob.Digest, _registry.Ct));
        }
    }

    [Fact]
    public async Task The_blobs_of_a_deleted_image_are_removed()
    {
        var config = await _registry.AddBlobAsync(Repo, TestContent.Utf8("""{"os":"linux"}"""));
        var layer = await _registry.AddBlobAsync(Repo, TestContent.Random(3000));
        var manifest = TestManifests.Image(config, [layer]);
        var image = await _registry.PushAsync(Repo, "v1", manifest);
        Assert.True(await _registry.Catalog.DeleteImageAsync(Repo, image.Digest, _registry.Ct));
        _registry.Time.Advance(Later);

        var result = await CollectAsync();

        Assert.Equal(3, result.LinksRemoved);
        Assert.Equal(3, result.BlobsRemoved);
        Assert.Equal(config.Size + layer.Size + TestManifests.AsBlob(manifest).Size, result.BytesFreed);
        Assert.Empty(_registry.Blobs.Enumerate());
    }

    [Fact]
    public async Task A_young_unlinked_blob_is_kept_while_an_old_one_is_removed()
    {
        var old = await _registry.IngestAsync(TestContent.Random(100));
        _registry.Time.Advance(Later);
        var young = await _registry.IngestAsync(TestContent.Random(200));
        File.SetLastWriteTimeUtc(_registry.Blobs.PathOf(young.Digest), (_registry.Time.GetUtcNow() - TimeSpan.FromMinutes(1)).UtcDateTime);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(0, 1, 100, 0), result);
        Assert.Null(_registry.Blobs.SizeOf(old.Digest));
        Assert.Equal(200, _registry.Blobs.SizeOf(young.Digest));
    }

    [Fact]
    public async Task A_young_unreferenced_link_keeps_its_blob()
    {
        var blob = await _registry.IngestAsync(TestContent.Random(100));
        _registry.Time.Advance(Later);
        await _registry.Catalog.LinkBlobAsync(Repo, blob.Digest, blob.Size, _registry.Ct);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(0, 0, 0, 0), result);
        Assert.NotNull(await _registry.Catalog.FindBlobAsync(Repo, blob.Digest, _registry.Ct));
        Assert.Equal(100, _registry.Blobs.SizeOf(blob.Digest));
    }

    [Fact]
    public async Task A_blob_still_linked_in_another_repository_is_kept()
    {
        await _registry.CreateRepositoryAsync("team/other");
        var blob = await _registry.AddBlobAsync(Repo, TestContent.Random(100));
        _registry.Time.Advance(Later);
        await _registry.Catalog.LinkBlobAsync("team/other", blob.Digest, blob.Size, _registry.Ct);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(1, 0, 0, 0), result);
        Assert.Null(await _registry.Catalog.FindBlobAsync(Repo, blob.Digest, _registry.Ct));
        Assert.NotNull(await _registry.Catalog.FindBlobAsync("team/other", blob.Digest, _registry.Ct));
        Assert.Equal(100, _registry.Blobs.SizeOf(blob.Digest));
    }

    [Fact]
    public async Task Stale_uploads_are_removed_and_fresh_ones_kept()
    {
        var stale = _registry.Uploads.Start(Repo);
        _registry.Time.Advance(Later);
        var fresh = _registry.Uploads.Start(Repo);

        var result = await CollectAsync();

        Assert.Equal(new CollectionResult(0, 0, 0, 1), result);
        Assert.Null(_registry.Uploads.Offset(Repo, stale));
        Assert.Equal(0, _registry.Uploads.Offset(Repo, fresh));
    }

    [Fact]
    public async Task Collecting_twice_removes_nothing_more()
    {
        await _registry.AddBlobAsync(Repo, TestContent.Random(100));
        _registry.Time.Advance(Later);
        await CollectAsync();

        Assert.Equal(new CollectionResult(0, 0, 0, 0), await CollectAsync());
    }

    private Task<CollectionResult> CollectAsync() => _collector.CollectAsync(Grace, UploadExpiry, _registry.Ct);
}
