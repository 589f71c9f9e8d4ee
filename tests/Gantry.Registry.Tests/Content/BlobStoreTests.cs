using Gantry.Oci;
using Gantry.Registry.Content;

namespace Gantry.Registry.Tests.Content;

public sealed class BlobStoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gantry-blobs-");
    private readonly CancellationTokenSource _timeout = new(RegistryHarness.Bound);
    private readonly BlobStore _blobs;

    public BlobStoreTests() => _blobs = new BlobStore(_directory.FullName);

    public void Dispose()
    {
        _timeout.Dispose();
        _directory.Delete(recursive: true);
    }

    private CancellationToken Ct => _timeout.Token;

    [Fact]
    public async Task Ingest_verifies_a_sha256_digest_and_stores_the_content_under_it()
    {
        var content = TestContent.Random(300_000);
        var digest = Digest.Of(content);

        var size = await IngestAsync(content, digest, content.Length);

        Assert.Equal(content.Length, size);
        Assert.Equal(content.Length, _blobs.SizeOf(digest));
        Assert.Equal(Path.Combine(_directory.FullName, "blobs", "sha256", digest.Hex), _blobs.PathOf(digest));
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Fact]
    public async Task Ingest_verifies_a_sha512_digest()
    {
        var content = TestContent.Random(1000);
        Assert.True(Digest.TryParse(TestContent.Sha512Of(content), out var digest));

        await IngestAsync(content, digest, expectedSize: null);

        Assert.Equal(Path.Combine(_directory.FullName, "blobs", "sha512", digest.Hex), _blobs.PathOf(digest));
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public async Task A_digest_mismatch_throws_and_leaves_no_blob_and_no_temporary_file()
    {
        var content = TestContent.Random(1000);
        var claimed = Digest.Of(TestContent.Random(1000));

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => IngestAsync(content, claimed, content.Length));

        Assert.Equal(ContentMismatch.Digest, e.Kind);
        Assert.Null(_blobs.SizeOf(claimed));
        Assert.Null(_blobs.SizeOf(Digest.Of(content)));
        Assert.Empty(_blobs.Enumerate());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Fact]
    public async Task A_sha512_digest_mismatch_throws_digest_mismatch()
    {
        var content = TestContent.Random(1000);
        Assert.True(Digest.TryParse(TestContent.Sha512Of(TestContent.Random(10)), out var claimed));

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => IngestAsync(content, claimed, expectedSize: null));

        Assert.Equal(ContentMismatch.Digest, e.Kind);
        Assert.Empty(_blobs.Enumerate());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_size_mismatch_throws_and_leaves_no_blob_and_no_temporary_file(int sizeError)
    {
        var content = TestContent.Random(1000);
        var digest = Digest.Of(content);

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => IngestAsync(content, digest, content.Length + sizeError));

        Assert.Equal(ContentMismatch.Size, e.Kind);
        Assert.Null(_blobs.SizeOf(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Fact]
    public async Task Ingesting_the_same_content_twice_yields_one_blob()
    {
        var content = TestContent.Random(5000);
        var digest = Digest.Of(content);

        await IngestAsync(content, digest, content.Length);
        await IngestAsync(content, digest, content.Length);

        var stored = Assert.Single(_blobs.Enumerate());
        Assert.Equal(digest, stored.Digest);
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Fact]
    public async Task Eight_concurrent_ingests_of_the_same_content_yield_one_blob()
    {
        var content = TestContent.Random(1_000_000);
        var digest = Digest.Of(content);

        var sizes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => IngestAsync(content, digest, content.Length)))).Within();

        Assert.All(sizes, size => Assert.Equal(content.Length, size));
        var stored = Assert.Single(_blobs.Enumerate());
        Assert.Equal(digest, stored.Digest);
        Assert.Equal(content, await ReadAsync(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_blobs.IngestDirectory));
    }

    [Fact]
    public async Task Bury_hides_a_blob_and_Restore_brings_it_back()
    {
        var content = TestContent.Random(2000);
        var digest = Digest.Of(content);
        await IngestAsync(content, digest, content.Length);

        var tombstone = _blobs.Bury(digest);

        Assert.NotNull(tombstone);
        Assert.True(File.Exists(tombstone));
        Assert.Null(_blobs.SizeOf(digest));
        Assert.Empty(_blobs.Enumerate());

        _blobs.Restore(tombstone, digest);

        Assert.False(File.Exists(tombstone));
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public async Task Restore_keeps_content_published_while_the_blob_was_buried()
    {
        var content = TestContent.Random(2000);
        var digest = Digest.Of(content);
        await IngestAsync(content, digest, content.Length);
        var tombstone = _blobs.Bury(digest)!;

        await IngestAsync(content, digest, content.Length);
        _blobs.Restore(tombstone, digest);

        Assert.False(File.Exists(tombstone));
        Assert.Single(_blobs.Enumerate());
        Assert.Equal(content, await ReadAsync(digest));
    }

    [Fact]
    public void Burying_an_absent_blob_returns_null()
    {
        Assert.Null(_blobs.Bury(Digest.Of(TestContent.Random(10))));
        Assert.True(Digest.TryParse(TestContent.Sha512Of(TestContent.Random(10)), out var sha512));
        Assert.Null(_blobs.Bury(sha512));
    }

    [Fact]
    public async Task Delete_removes_a_blob_and_reports_whether_it_was_there()
    {
        var content = TestContent.Random(100);
        var digest = Digest.Of(content);
        await IngestAsync(content, digest, content.Length);

        Assert.True(_blobs.Delete(digest));
        Assert.Null(_blobs.SizeOf(digest));
        Assert.False(_blobs.Delete(digest));
    }

    [Fact]
    public async Task Enumerate_lists_blobs_of_both_algorithms()
    {
        var first = TestContent.Random(10);
        var second = TestContent.Random(10);
        Assert.True(Digest.TryParse(TestContent.Sha512Of(second), out var sha512));
        await IngestAsync(first, Digest.Of(first), first.Length);
        await IngestAsync(second, sha512, second.Length);

        var digests = _blobs.Enumerate().Select(b => b.Digest).ToHashSet();

        Assert.Equal(new HashSet<Digest> { Digest.Of(first), sha512 }, digests);
    }

    private async Task<long> IngestAsync(byte[] content, Digest digest, long? expectedSize)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await _blobs.IngestAsync(stream, digest, expectedSize, Ct);
    }

    private async Task<byte[]> ReadAsync(Digest digest)
    {
        await using var stream = _blobs.OpenRead(digest);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
