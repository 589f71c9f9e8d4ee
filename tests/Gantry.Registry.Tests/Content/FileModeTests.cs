using Gantry.Oci;
using Gantry.Registry.Content;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Registry.Tests.Content;

/// <summary>Registry content is owner-only: directories 0700, blobs and uploads 0600, even under a 0755 directory.</summary>
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;
    private readonly DirectoryInfo _parent = Directory.CreateTempSubdirectory("gantry-registry-modes-");
    private readonly CancellationTokenSource _timeout = new(RegistryHarness.Bound);
    private readonly string _root;

    public FileModeTests()
    {
        File.SetUnixFileMode(_parent.FullName, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _root = Path.Combine(_parent.FullName, "registry");
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _parent.Delete(recursive: true);
    }

    [Fact]
    public async Task An_ingested_blob_and_its_directories_are_owner_only()
    {
        var blobs = new BlobStore(_root);
        var content = TestContent.Random(1000);
        using var source = new MemoryStream(content);

        await blobs.IngestAsync(source, Digest.Of(content), content.Length, _timeout.Token);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(blobs.PathOf(Digest.Of(content))));
        foreach (var directory in new[] { _root, Path.Combine(_root, "blobs"), Path.Combine(_root, "blobs", "sha256"), blobs.IngestDirectory })
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public async Task An_upload_in_progress_and_the_blob_it_completes_into_are_owner_only()
    {
        var blobs = new BlobStore(_root);
        var uploads = new UploadStore(blobs, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var content = TestContent.Random(5000);
        var id = uploads.Start("team/app");
        using (var chunk = new MemoryStream(content))
        {
            await uploads.AppendAsync("team/app", id, chunk, 0, content.Length, _timeout.Token);
        }

        var upload = Path.Combine(_root, "uploads", id);
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.Combine(_root, "uploads")));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(upload));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(upload, "info")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(upload, "data")));

        await uploads.CompleteAsync("team/app", id, Digest.Of(content), null, null, _timeout.Token);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(blobs.PathOf(Digest.Of(content))));
    }
}
