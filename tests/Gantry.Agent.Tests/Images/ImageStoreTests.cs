using System.Collections.Concurrent;
using System.Formats.Tar;
using Gantry.Agent.Images;
using Gantry.Oci;
using Gantry.Oci.Build;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Gantry.Agent.Tests.Images.TarLayers;

namespace Gantry.Agent.Tests.Images;

public sealed class ImageStoreTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _registry;
    private readonly TempDirectory _temp = new();
    private readonly CountingHandler _requests = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ImageStore _store;

    public ImageStoreTests(RegistryFixture registry)
    {
        _registry = registry;
        _http = new HttpClient(_requests);
        _store = new ImageStore(_temp.Combine("store"), new RegistryClient(_http), _time, NullLogger<ImageStore>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        _http.Dispose();
        _temp.Dispose();
    }

    private string Snapshots => Path.Combine(_store.Root, "snapshots");

    private ImageReference Reference(string repository, string tag) => new(_registry.Host, repository, tag, null);

    private ImageReference Pinned(string repository, BuiltImage image) => new(_registry.Host, repository, null, image.ManifestDigest.ToString());

    /// <summary>A single-layer image whose content no other test shares (blobs are global in the registry).</summary>
    private Task<BuiltImage> PushUniqueAsync(string repository, string tag = "v1") =>
        _registry.PushFilesAsync(repository, tag, new Dictionary<string, string>
        {
            ["app/hello.txt"] = "hello from " + Guid.NewGuid(),
            ["app/run.sh"] = "#!/bin/sh\necho hi\n",
        }, TestTimeout.Token());

    private static string LayerDigest(BuiltImage image, int index = 0) => image.Blobs[index].Descriptor.Digest;

    [Fact]
    public async Task Pull_unpacks_every_layer_into_a_snapshot_and_returns_the_config()
    {
        var image = await PushUniqueAsync("pull/basic");
        var progress = new ListProgress();

        var pulled = await _store.PullAsync(Reference("pull/basic", "v1"), null, progress, TestTimeout.Token());

        Assert.Equal(image.ManifestDigest.ToString(), pulled.ManifestDigest);
        var snapshot = Assert.Single(pulled.LayerDirectories);
        Assert.Equal(_store.SnapshotDirectory(LayerDigest(image)), snapshot);
        Assert.StartsWith("hello from ", await File.ReadAllTextAsync(Path.Combine(snapshot, "app/hello.txt")), StringComparison.Ordinal);
        Assert.Equal("755", FileStat.Of(Path.Combine(snapshot, "app/run.sh")).Mode);
        Assert.Equal(["/app/run.sh"], pulled.Config.Config!.Cmd);
        Assert.Equal(["GREETING=hello"], pulled.Config.Config.Env);
        var size = image.Blobs[0].Descriptor.Size;
        Assert.Contains(new PullProgress(LayerDigest(image), size, size), progress.Reports);
        Assert.Equal([Path.GetFileName(snapshot)], Directory.GetFileSystemEntries(Snapshots).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_store.Root, "downloads")));
    }

    [Fact]
    public async Task Layers_with_whiteouts_and_zstd_unpack_into_one_snapshot_each()
    {
        var marker = Guid.NewGuid().ToString();
        var bottom = Tar(FileEntry("etc/os-release", marker), FileEntry("bin/tool", "tool", mode: 0x9ED), FileEntry("var/cache/old", "old"));
        var top = Tar(FileEntry("bin/.wh.tool", ""), FileEntry("var/cache/.wh..wh..opq", ""), FileEntry("var/cache/new", marker));
        var image = await _registry.PushLayersAsync("pull/layers", "v1",
            [(bottom, Gzip(bottom), MediaTypes.OciLayerGzip), (top, Zstd(top), MediaTypes.OciLayerZstd)], TestTimeout.Token());

        var pulled = await _store.PullAsync(Reference("pull/layers", "v1"), null, null, TestTimeout.Token());

        Assert.Equal(2, pulled.LayerDirectories.Count);
        var (lower, upper) = (pulled.LayerDirectories[0], pulled.LayerDirectories[1]);
        Assert.Equal(_store.SnapshotDirectory(LayerDigest(image, 0)), lower);
        Assert.Equal(_store.SnapshotDirectory(LayerDigest(image, 1)), upper);
        Assert.Equal("4755", FileStat.Of(Path.Combine(lower, "bin/tool")).Mode);
        var whiteout = FileStat.Of(Path.Combine(upper, "bin/tool"));
        Assert.Equal(("character special file", 0, 0), (whiteout.Type, whiteout.Major, whiteout.Minor));
        Assert.Equal("y", FileStat.ExtendedAttribute(Path.Combine(upper, "var/cache"), "trusted.overlay.opaque"));
        Assert.Equal(marker, await File.ReadAllTextAsync(Path.Combine(upper, "var/cache/new")));
    }

    [Fact]
    public async Task An_index_resolves_to_the_manifest_for_this_machine()
    {
        var mine = await PushUniqueAsync("pull/index", "mine");
        var other = await PushUniqueAsync("pull/index", "other");
        var foreign = GoArchitecture.Current == "s390x" ? "riscv64" : "s390x";
        await _registry.PutIndexAsync("pull/index", "multi", [(other, foreign), (mine, GoArchitecture.Current)], TestTimeout.Token());

        var pulled = await _store.PullAsync(Reference("pull/index", "multi"), null, null, TestTimeout.Token());

        Assert.Equal(mine.ManifestDigest.ToString(), pulled.ManifestDigest);
        Assert.Equal([_store.SnapshotDirectory(LayerDigest(mine))], pulled.LayerDirectories);
    }

    [Fact]
    public async Task Pulling_again_reuses_snapshots_and_a_pinned_reference_is_served_locally()
    {
        var image = await PushUniqueAsync("pull/twice");
        var first = await _store.PullAsync(Reference("pull/twice", "v1"), null, null, TestTimeout.Token());
        var inode = FileStat.Of(first.LayerDirectories[0]).Inode;

        var second = await _store.PullAsync(Reference("pull/twice", "v1"), null, null, TestTimeout.Token());

        Assert.Equal(first.LayerDirectories, second.LayerDirectories);
        Assert.Equal(inode, FileStat.Of(second.LayerDirectories[0]).Inode);
        Assert.Equal(1, _requests.Count($"/blobs/{LayerDigest(image)}"));

        var pinned = Pinned("pull/twice", image);
        var third = await _store.PullAsync(pinned, null, null, TestTimeout.Token());
        var before = _requests.Total;
        var fourth = await _store.PullAsync(pinned, null, null, TestTimeout.Token());

        Assert.Equal(before, _requests.Total);
        Assert.Equal(third.LayerDirectories, fourth.LayerDirectories);
        Assert.Equal(image.ManifestDigest.ToString(), fourth.ManifestDigest);
        Assert.Equal(["/app/run.sh"], fourth.Config.Config!.Cmd);
    }

    [Fact]
    public async Task A_tampered_blob_fails_with_a_digest_mismatch_and_leaves_no_snapshot()
    {
        var image = await PushUniqueAsync("pull/tampered");
        var layer = LayerDigest(image);
        var blob = _registry.BlobPath(layer);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(blob, bytes);

        var e = await Assert.ThrowsAsync<ImagePullException>(() => _store.PullAsync(Reference("pull/tampered", "v1"), null, null, TestTimeout.Token()));

        Assert.Contains(layer, e.Message, StringComparison.Ordinal);
        Assert.Contains("digest mismatch", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Snapshots));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_store.Root, "downloads")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_store.Root, "images")));
    }

    [Fact]
    public async Task An_unknown_image_fails_like_ecs_says_it()
    {
        var e = await Assert.ThrowsAsync<ImagePullException>(() => _store.PullAsync(new ImageReference(_registry.Host, "nope", null, null), null, null, TestTimeout.Token()));

        Assert.Equal($"pull image manifest has been retried 1 time(s): failed to resolve ref {_registry.Host}/nope:latest: not found", e.Message);
    }

    [Fact]
    public async Task An_unknown_tag_and_an_unknown_digest_fail_with_not_found()
    {
        await PushUniqueAsync("pull/unknown");
        var digest = Digest.Of("nothing"u8).ToString();

        var tag = await Assert.ThrowsAsync<ImagePullException>(() => _store.PullAsync(Reference("pull/unknown", "v9"), null, null, TestTimeout.Token()));
        var pinned = await Assert.ThrowsAsync<ImagePullException>(() => _store.PullAsync(new ImageReference(_registry.Host, "pull/unknown", null, digest), null, null, TestTimeout.Token()));

        Assert.EndsWith($"{_registry.Host}/pull/unknown:v9: not found", tag.Message, StringComparison.Ordinal);
        Assert.EndsWith($"{_registry.Host}/pull/unknown@{digest}: not found", pinned.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_pulls_of_one_image_download_each_layer_once_into_one_snapshot()
    {
        var (first, second) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var bottom = Tar(FileEntry("a", first));
        var top = Tar(FileEntry("b", second));
        var image = await _registry.PushLayersAsync("pull/concurrent", "v1",
            [(bottom, Gzip(bottom), MediaTypes.OciLayerGzip), (top, Gzip(top), MediaTypes.OciLayerGzip)], TestTimeout.Token());
        var reference = Reference("pull/concurrent", "v1");

        var pulls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _store.PullAsync(reference, null, null, TestTimeout.Token()))));

        Assert.All(pulls, p => Assert.Equal(pulls[0].LayerDirectories, p.LayerDirectories));
        Assert.Equal(
            pulls[0].LayerDirectories.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(Snapshots).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(1, _requests.Count($"/blobs/{LayerDigest(image, 0)}"));
        Assert.Equal(1, _requests.Count($"/blobs/{LayerDigest(image, 1)}"));
        Assert.Equal(first, await File.ReadAllTextAsync(Path.Combine(pulls[0].LayerDirectories[0], "a")));
        Assert.Equal(second, await File.ReadAllTextAsync(Path.Combine(pulls[0].LayerDirectories[1], "b")));
    }

    [Fact]
    public async Task Collect_removes_images_not_in_use_and_the_snapshots_only_they_reference()
    {
        var kept = await PushUniqueAsync("collect/kept");
        var dropped = await PushUniqueAsync("collect/dropped");
        var inUse = await _store.PullAsync(Reference("collect/kept", "v1"), null, null, TestTimeout.Token());
        var unused = await _store.PullAsync(Reference("collect/dropped", "v1"), null, null, TestTimeout.Token());
        var unusedSize = new DirectoryInfo(unused.LayerDirectories[0]).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

        Assert.Equal(0, await _store.CollectAsync(new HashSet<string>(), long.MaxValue, TestTimeout.Token()));
        var freed = await _store.CollectAsync(new HashSet<string>(inUse.LayerDirectories), 0, TestTimeout.Token());

        Assert.Equal(unusedSize, freed);
        Assert.True(Directory.Exists(inUse.LayerDirectories[0]));
        Assert.False(Directory.Exists(unused.LayerDirectories[0]));
        Assert.Single(Directory.GetFiles(Path.Combine(_store.Root, "images")));

        var before = _requests.Count($"/blobs/{LayerDigest(dropped)}");
        var again = await _store.PullAsync(Reference("collect/dropped", "v1"), null, null, TestTimeout.Token());
        Assert.True(Directory.Exists(again.LayerDirectories[0]));
        Assert.Equal(before + 1, _requests.Count($"/blobs/{LayerDigest(dropped)}"));
        Assert.Equal(1, _requests.Count($"/blobs/{LayerDigest(kept)}"));
    }

    [Fact]
    public async Task Collect_removes_the_least_recently_used_image_first_and_stops_when_it_fits()
    {
        await PushUniqueAsync("collect/old");
        await PushUniqueAsync("collect/new");
        var old = await _store.PullAsync(Reference("collect/old", "v1"), null, null, TestTimeout.Token());
        _time.Advance(TimeSpan.FromHours(1));
        var recent = await _store.PullAsync(Reference("collect/new", "v1"), null, null, TestTimeout.Token());
        var recentSize = new DirectoryInfo(recent.LayerDirectories[0]).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

        var freed = await _store.CollectAsync(new HashSet<string>(), recentSize, TestTimeout.Token());

        Assert.True(freed > 0);
        Assert.False(Directory.Exists(old.LayerDirectories[0]));
        Assert.True(Directory.Exists(recent.LayerDirectories[0]));
    }

    [Fact]
    public async Task Collect_keeps_snapshots_named_by_digest_and_removes_leftovers_of_interrupted_pulls()
    {
        var image = await PushUniqueAsync("collect/digest");
        var pulled = await _store.PullAsync(Reference("collect/digest", "v1"), null, null, TestTimeout.Token());
        var leftover = Directory.CreateDirectory(pulled.LayerDirectories[0] + ".tmp-0123").FullName;
        await File.WriteAllTextAsync(Path.Combine(leftover, "half"), "written");

        var freed = await _store.CollectAsync(new HashSet<string> { LayerDigest(image) }, 0, TestTimeout.Token());

        Assert.Equal(0, freed);
        Assert.True(Directory.Exists(pulled.LayerDirectories[0]));
        Assert.False(Directory.Exists(leftover));
    }

    /// <summary>Records every report as it happens (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class ListProgress : IProgress<PullProgress>
    {
        private readonly ConcurrentQueue<PullProgress> _reports = new();

        public IReadOnlyCollection<PullProgress> Reports => _reports;

        public void Report(PullProgress value) => _reports.Enqueue(value);
    }

    /// <summary>Counts the requests that reach the registry by path.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly ConcurrentQueue<string> _paths = new();

        public int Total => _paths.Count;

        public int Count(string pathSuffix) => _paths.Count(p => p.EndsWith(pathSuffix, StringComparison.Ordinal));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
