using Gantry.Oci;
using Gantry.Registry.Content;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Registry.Tests.Content;

public sealed class UploadStoreTests : IDisposable
{
    private const string Repo = "team/app";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gantry-uploads-");
    private readonly CancellationTokenSource _timeout = new(RegistryHarness.Bound);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly BlobStore _blobs;
    private readonly UploadStore _uploads;

    public UploadStoreTests()
    {
        _blobs = new BlobStore(_directory.FullName);
        _uploads = new UploadStore(_blobs, _time);
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _directory.Delete(recursive: true);
    }

    private CancellationToken Ct => _timeout.Token;

    [Fact]
    public async Task Pending_counts_unfinished_uploads_and_their_bytes_until_they_complete_or_are_cancelled()
    {
        Assert.Equal(new PendingUploads(0, 0), _uploads.Pending());
        var (first, second) = (_uploads.Start(Repo), _uploads.Start(Repo));
        await AppendAsync(_uploads, first, TestContent.Random(1000), start: 0);
        await AppendAsync(_uploads, second, TestContent.Random(24), start: 0);
        Assert.Equal(new PendingUploads(2, 1024), _uploads.Pending());
        _uploads.Cancel(Repo, second);
        Assert.Equal(new PendingUploads(1, 1000), _uploads.Pending());
        // A restarted store sees what the previous process left behind.
        Assert.Equal(new PendingUploads(1, 1000), new UploadStore(_blobs, _time).Pending());
    }

    [Fact]
    public async Task Chunks_appended_in_order_complete_into_a_blob_with_the_right_digest()
    {
        var (first, second, third) = (TestContent.Random(200_000), TestContent.Random(1), TestContent.Random(70_000));
        var whole = TestContent.Concat(first, second, third);
        var id = _uploads.Start(Repo);
        Assert.Equal(0, _uploads.Offset(Repo, id));

        Assert.Equal(200_000, await AppendAsync(_uploads, id, first, start: 0));
        Assert.Equal(200_001, await AppendAsync(_uploads, id, second, start: 200_000));
        Assert.Equal(whole.Length, await AppendAsync(_uploads, id, third, start: null));
        Assert.Equal(whole.Length, _uploads.Offset(Repo, id));
        Assert.Null(_blobs.SizeOf(Digest.Of(whole)));

        var size = await _uploads.CompleteAsync(Repo, id, Digest.Of(whole), null, null, Ct);

        Assert.Equal(whole.Length, size);
        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
        Assert.Null(_uploads.Offset(Repo, id));
        Assert.False(Directory.Exists(UploadDirectory(id)));
    }

    [Fact]
    public async Task Complete_appends_a_last_chunk()
    {
        var (first, last) = (TestContent.Random(1000), TestContent.Random(500));
        var whole = TestContent.Concat(first, last);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, first, start: 0);

        using var lastChunk = new MemoryStream(last);
        var size = await _uploads.CompleteAsync(Repo, id, Digest.Of(whole), lastChunk, last.Length, Ct);

        Assert.Equal(whole.Length, size);
        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
    }

    [Fact]
    public async Task A_monolithic_empty_upload_completes_into_the_empty_blob()
    {
        var id = _uploads.Start(Repo);

        var size = await _uploads.CompleteAsync(Repo, id, Digest.Of([]), null, null, Ct);

        Assert.Equal(0, size);
        Assert.Equal(0, _blobs.SizeOf(Digest.Of([])));
    }

    [Fact]
    public async Task A_chunk_that_does_not_start_at_the_offset_is_refused_with_the_current_offset()
    {
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, TestContent.Random(5), start: 0);

        var behind = await Assert.ThrowsAsync<UploadRangeException>(() => AppendAsync(_uploads, id, TestContent.Random(5), start: 3));
        var ahead = await Assert.ThrowsAsync<UploadRangeException>(() => AppendAsync(_uploads, id, TestContent.Random(5), start: 6));

        Assert.Equal(5, behind.Offset);
        Assert.Equal(5, ahead.Offset);
        Assert.Equal(5, _uploads.Offset(Repo, id));
        Assert.Equal(5, new FileInfo(Path.Combine(UploadDirectory(id), "data")).Length);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(101)]
    public async Task A_chunk_whose_declared_length_mismatches_is_rolled_back(long declared)
    {
        var (first, bad, good) = (TestContent.Random(1000), TestContent.Random(100), TestContent.Random(100));
        var whole = TestContent.Concat(first, good);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, first, start: 0);

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => AppendAsync(_uploads, id, bad, start: 1000, length: declared));

        Assert.Equal(ContentMismatch.Size, e.Kind);
        Assert.Equal(1000, _uploads.Offset(Repo, id));
        Assert.Equal(1100, await AppendAsync(_uploads, id, good, start: 1000, length: good.Length));
        Assert.Equal(whole.Length, await _uploads.CompleteAsync(Repo, id, Digest.Of(whole), null, null, Ct));
        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
    }

    [Fact]
    public async Task A_chunk_whose_client_goes_away_midway_is_rolled_back()
    {
        var (first, good) = (TestContent.Random(1000), TestContent.Random(300));
        var whole = TestContent.Concat(first, good);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, first, start: 0);

        await using (var broken = new FailingStream(TestContent.Random(300)))
        {
            await Assert.ThrowsAsync<IOException>(() => _uploads.AppendAsync(Repo, id, broken, 1000, 600, Ct));
        }

        Assert.Equal(1000, _uploads.Offset(Repo, id));
        Assert.Equal(1000, new FileInfo(Path.Combine(UploadDirectory(id), "data")).Length);
        await AppendAsync(_uploads, id, good, start: 1000);
        await _uploads.CompleteAsync(Repo, id, Digest.Of(whole), null, null, Ct);
        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
    }

    [Fact]
    public async Task An_upload_is_unknown_in_another_repository()
    {
        var content = TestContent.Random(10);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, content, start: 0);

        Assert.Null(_uploads.Offset("team/other", id));
        await Assert.ThrowsAsync<UploadUnknownException>(() => _uploads.AppendAsync("team/other", id, new MemoryStream(content), null, null, Ct));
        await Assert.ThrowsAsync<UploadUnknownException>(() => _uploads.CompleteAsync("team/other", id, Digest.Of(content), null, null, Ct));
        Assert.False(_uploads.Cancel("team/other", id));

        Assert.Equal(10, _uploads.Offset(Repo, id));
        Assert.Null(_blobs.SizeOf(Digest.Of(content)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../blobs")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    public void Ids_that_were_never_started_are_unknown(string id)
    {
        Assert.Null(_uploads.Offset(Repo, id));
        Assert.False(_uploads.Cancel(Repo, id));
    }

    [Fact]
    public async Task Cancel_removes_the_upload()
    {
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, TestContent.Random(10), start: 0);

        Assert.True(_uploads.Cancel(Repo, id));

        Assert.Null(_uploads.Offset(Repo, id));
        Assert.False(Directory.Exists(UploadDirectory(id)));
        Assert.False(_uploads.Cancel(Repo, id));
        await Assert.ThrowsAsync<UploadUnknownException>(() => AppendAsync(_uploads, id, TestContent.Random(1), start: null));
    }

    [Fact]
    public async Task A_new_upload_store_over_the_same_directory_resumes_an_upload_and_completes_it()
    {
        var (first, second, third) = (TestContent.Random(100_000), TestContent.Random(33), TestContent.Random(4096));
        var whole = TestContent.Concat(first, second, third);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, first, start: 0);
        await AppendAsync(_uploads, id, second, start: null);

        var restarted = new UploadStore(new BlobStore(_directory.FullName), _time);

        Assert.Equal(first.Length + second.Length, restarted.Offset(Repo, id));
        Assert.Null(restarted.Offset("team/other", id));
        await Assert.ThrowsAsync<UploadRangeException>(() => AppendAsync(restarted, id, third, start: 0));
        Assert.Equal(whole.Length, await AppendAsync(restarted, id, third, start: first.Length + second.Length));
        Assert.Equal(whole.Length, await restarted.CompleteAsync(Repo, id, Digest.Of(whole), null, null, Ct));
        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
    }

    [Fact]
    public async Task A_resumed_upload_is_verified_against_its_content()
    {
        var content = TestContent.Random(5000);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, content, start: 0);
        var restarted = new UploadStore(_blobs, _time);
        var wrong = Digest.Of(TestContent.Random(5000));

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => restarted.CompleteAsync(Repo, id, wrong, null, null, Ct));

        Assert.Equal(ContentMismatch.Digest, e.Kind);
        Assert.Null(_blobs.SizeOf(wrong));
        Assert.Null(_blobs.SizeOf(Digest.Of(content)));
    }

    [Fact]
    public async Task Completing_with_the_wrong_digest_publishes_nothing_and_keeps_the_upload()
    {
        var content = TestContent.Random(5000);
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, content, start: 0);
        var wrong = Digest.Of(TestContent.Random(5000));

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => _uploads.CompleteAsync(Repo, id, wrong, null, null, Ct));

        Assert.Equal(ContentMismatch.Digest, e.Kind);
        Assert.Empty(_blobs.Enumerate());
        Assert.Equal(content.Length, _uploads.Offset(Repo, id));
        await _uploads.CompleteAsync(Repo, id, Digest.Of(content), null, null, Ct);
        Assert.Equal(content, await ReadAsync(Digest.Of(content)));
    }

    [Fact]
    public async Task An_upload_completes_against_a_sha512_digest()
    {
        var (first, second) = (TestContent.Random(70_000), TestContent.Random(70_000));
        var whole = TestContent.Concat(first, second);
        Assert.True(Digest.TryParse(TestContent.Sha512Of(whole), out var digest));
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, first, start: 0);
        await AppendAsync(_uploads, id, second, start: first.Length);

        Assert.Equal(whole.Length, await _uploads.CompleteAsync(Repo, id, digest, null, null, Ct));

        Assert.Equal(whole, await ReadAsync(digest));
        Assert.Null(_blobs.SizeOf(Digest.Of(whole)));
    }

    [Fact]
    public async Task Completing_a_blob_that_already_exists_keeps_one_blob_and_removes_the_upload()
    {
        var content = TestContent.Random(1000);
        using (var stream = new MemoryStream(content))
        {
            await _blobs.IngestAsync(stream, Digest.Of(content), content.Length, Ct);
        }
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, content, start: 0);

        await _uploads.CompleteAsync(Repo, id, Digest.Of(content), null, null, Ct);

        Assert.Single(_blobs.Enumerate());
        Assert.Null(_uploads.Offset(Repo, id));
        Assert.False(Directory.Exists(UploadDirectory(id)));
    }

    [Fact]
    public async Task RemoveStale_removes_uploads_started_before_the_cutoff()
    {
        var old = _uploads.Start(Repo);
        await AppendAsync(_uploads, old, TestContent.Random(10), start: 0);
        _time.Advance(TimeSpan.FromHours(1));
        var fresh = _uploads.Start(Repo);

        Assert.Equal(1, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromMinutes(30)));

        Assert.Null(_uploads.Offset(Repo, old));
        Assert.False(Directory.Exists(UploadDirectory(old)));
        Assert.Equal(0, _uploads.Offset(Repo, fresh));
        Assert.Equal(0, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void RemoveStale_removes_upload_directories_without_readable_info()
    {
        var id = _uploads.Start(Repo);
        File.WriteAllText(Path.Combine(UploadDirectory(id), "info"), "not json");
        Directory.CreateDirectory(Path.Combine(_directory.FullName, "uploads", "junk"));

        Assert.Equal(2, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromDays(1)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_directory.FullName, "uploads")));
    }

    [Fact]
    public async Task Two_upload_stores_over_one_directory_take_turns_on_one_upload_and_complete_it_right()
    {
        var other = new UploadStore(new BlobStore(_directory.FullName), _time);
        var (first, second, third, last) = (TestContent.Random(70_000), TestContent.Random(30_000), TestContent.Random(5), TestContent.Random(900));
        var whole = TestContent.Concat(first, second, third, last);
        var id = _uploads.Start(Repo);

        await AppendAsync(_uploads, id, first, start: 0);
        Assert.Equal(first.Length + second.Length, await AppendAsync(other, id, second, start: first.Length));
        // This store's running hash covers only the first chunk: it must not be used, nor its offset believed.
        await Assert.ThrowsAsync<UploadRangeException>(() => AppendAsync(_uploads, id, third, start: first.Length));
        await AppendAsync(_uploads, id, third, start: first.Length + second.Length);
        using var lastChunk = new MemoryStream(last);

        Assert.Equal(whole.Length, await _uploads.CompleteAsync(Repo, id, Digest.Of(whole), lastChunk, last.Length, Ct));

        Assert.Equal(whole, await ReadAsync(Digest.Of(whole)));
        Assert.Null(other.Offset(Repo, id));
        await Assert.ThrowsAsync<UploadUnknownException>(() => AppendAsync(other, id, third, start: null));
    }

    [Fact]
    public async Task A_chunk_while_another_process_holds_the_upload_is_refused_with_the_committed_offset_and_changes_nothing()
    {
        var id = _uploads.Start(Repo);
        await AppendAsync(_uploads, id, TestContent.Random(100), start: 0);
        using (HoldLock(id))
        {
            var refused = await Assert.ThrowsAsync<UploadRangeException>(() => AppendAsync(_uploads, id, TestContent.Random(10), start: 100));
            Assert.Equal(100, refused.Offset);
        }
        Assert.Equal(100, _uploads.Offset(Repo, id));
        Assert.Equal(110, await AppendAsync(_uploads, id, TestContent.Random(10), start: 100));
    }

    [Fact]
    public async Task RemoveStale_leaves_an_upload_another_process_holds_and_counts_idleness_from_the_last_chunk()
    {
        var id = _uploads.Start(Repo);
        _time.Advance(TimeSpan.FromHours(2));
        await AppendAsync(_uploads, id, TestContent.Random(10), start: 0);
        Assert.Equal(0, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromHours(1)));

        _time.Advance(TimeSpan.FromHours(2));
        using (HoldLock(id))
        {
            Assert.Equal(0, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromHours(1)));
        }
        Assert.Equal(1, _uploads.RemoveStale(_time.GetUtcNow() - TimeSpan.FromHours(1)));
    }

    /// <summary>Takes the upload's lock as another replica writing a chunk would.</summary>
    private FileStream HoldLock(string id) => new(Path.Combine(UploadDirectory(id), "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    private string UploadDirectory(string id) => Path.Combine(_directory.FullName, "uploads", id);

    private async Task<long> AppendAsync(UploadStore uploads, string id, byte[] chunk, long? start, long? length = null)
    {
        using var stream = new MemoryStream(chunk, writable: false);
        return await uploads.AppendAsync(Repo, id, stream, start, length, Ct);
    }

    private async Task<byte[]> ReadAsync(Digest digest)
    {
        await using var stream = _blobs.OpenRead(digest);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
