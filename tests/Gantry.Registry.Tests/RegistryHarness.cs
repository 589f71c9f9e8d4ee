using Gantry.Oci;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Registry.Tests;

/// <summary>
/// A registry over real parts: a blob store and upload store in a temporary directory and a catalog in a real
/// SQLite state store, on a <see cref="FakeTimeProvider"/> that starts at the real current time (so files written
/// now are "now" to the garbage collector too). Every call made through <see cref="Ct"/> is bounded.
/// </summary>
internal sealed class RegistryHarness : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _directory;
    private readonly CancellationTokenSource _timeout = new(Bound);

    private RegistryHarness(DirectoryInfo directory, SqliteStateStore store)
    {
        _directory = directory;
        Store = store;
        Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Blobs = new BlobStore(Path.Combine(directory.FullName, "content"));
        Uploads = new UploadStore(Blobs, Time);
        Catalog = new ImageCatalog(store, Blobs, Time);
    }

    public SqliteStateStore Store { get; }
    public FakeTimeProvider Time { get; }
    public BlobStore Blobs { get; }
    public UploadStore Uploads { get; }
    public ImageCatalog Catalog { get; }
    public CancellationToken Ct => _timeout.Token;

    public static async Task<RegistryHarness> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-registry-");
        using var timeout = new CancellationTokenSource(Bound);
        var store = await SqliteStateStore.OpenAsync(Path.Combine(directory.FullName, "state.db"), timeout.Token);
        return new RegistryHarness(directory, store);
    }

    public async Task CreateRepositoryAsync(string name, string mutability = RepositoryRecord.Mutable, string? lifecyclePolicy = null)
    {
        var record = new RepositoryRecord(name, Time.GetUtcNow(), mutability, ScanOnPush: false, "AES256", KmsKey: null, Tags: [],
            LifecyclePolicyText: lifecyclePolicy);
        await Catalog.Documents.Store.CommitAsync([Catalog.Documents.Put(CatalogKinds.Repository, name, record, Gantry.Store.WriteOp.MustNotExist)], Ct);
    }

    /// <summary>Stores <paramref name="content"/> in the blob store without linking it anywhere.</summary>
    public async Task<Blob> IngestAsync(byte[] content)
    {
        var blob = new Blob(Digest.Of(content), content.Length);
        using var stream = new MemoryStream(content);
        await Blobs.IngestAsync(stream, blob.Digest, blob.Size, Ct);
        return blob;
    }

    /// <summary>Stores <paramref name="content"/> and links it into <paramref name="repository"/>, as a finished upload does.</summary>
    public async Task<Blob> AddBlobAsync(string repository, byte[] content)
    {
        var blob = await IngestAsync(content);
        await Catalog.LinkBlobAsync(repository, blob.Digest, blob.Size, Ct);
        return blob;
    }

    public Task<ImageRecord> PushAsync(string repository, string reference, string manifest) =>
        Catalog.PutManifestAsync(repository, reference, TestContent.Utf8(manifest), MediaTypes.OciManifest, Ct);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _timeout.Dispose();
        _directory.Delete(recursive: true);
    }
}
