using System.Formats.Tar;
using System.Security.Cryptography;
using Gantry.Agent.Images;
using Gantry.Oci;
using static Gantry.Agent.Tests.Images.TarLayers;

namespace Gantry.Agent.Tests.Images;

public sealed class LayerUnpackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Root => _temp.Combine("root");

    private async Task<LayerUnpackResult> UnpackAsync(byte[] blob, string mediaType = MediaTypes.OciLayer)
    {
        using var stream = new MemoryStream(blob);
        return await LayerUnpacker.UnpackAsync(stream, mediaType, Root, TestTimeout.Token());
    }

    private string At(string relative) => Path.Combine(Root, relative);

    [Fact]
    public async Task Files_and_directories_keep_content_modes_owners_and_times()
    {
        var dataTime = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var result = await UnpackAsync(Tar(
            DirectoryEntry("etc/"),
            FileEntry("etc/hosts", "127.0.0.1 localhost\n", uid: 1000, gid: 1001),
            FileEntry("usr/bin/su", "su", mode: 0x9ED /* 04755 */),
            FileEntry("usr/bin/wall", "wall", mode: 0x5ED /* 02755 */, gid: 5),
            DirectoryEntry("tmp/", mode: 0x3FF /* 01777 */),
            DirectoryEntry("data/", mode: 0x1E8 /* 0750 */, uid: 1234, gid: 5678, time: dataTime),
            FileEntry("data/x", "x")));

        Assert.Equal("127.0.0.1 localhost\n", await System.IO.File.ReadAllTextAsync(At("etc/hosts")));
        Assert.Equal(("644", 1000, 1001), Summary(FileStat.Of(At("etc/hosts"))));
        Assert.Equal(TarLayers.Time.ToUnixTimeSeconds(), FileStat.Of(At("etc/hosts")).MTime);
        Assert.Equal(("4755", 0, 0), Summary(FileStat.Of(At("usr/bin/su"))));
        Assert.Equal(("2755", 0, 5), Summary(FileStat.Of(At("usr/bin/wall"))));
        Assert.Equal("755", FileStat.Of(At("usr")).Mode);
        Assert.Equal("1777", FileStat.Of(At("tmp")).Mode);
        var data = FileStat.Of(At("data"));
        Assert.Equal(("750", 1234, 5678), Summary(data));
        Assert.Equal(dataTime.ToUnixTimeSeconds(), data.MTime);
        Assert.Equal("regular file", FileStat.Of(At("data/x")).Type);
        Assert.Equal("127.0.0.1 localhost\n".Length + "su".Length + "wall".Length + "x".Length, result.Bytes);
        Assert.Equal(7, result.Entries);
    }

    [Fact]
    public async Task Symlinks_are_links_with_their_own_owner_and_hard_links_share_the_inode()
    {
        await UnpackAsync(Tar(
            FileEntry("bin/busybox", "#!busybox", mode: 0x1ED),
            SymlinkEntry("bin/sh", "/bin/busybox", uid: 12, gid: 34),
            SymlinkEntry("bin/dangling", "../nowhere"),
            HardLinkEntry("bin/ls", "bin/busybox"),
            HardLinkEntry("./bin/cat", "./bin/busybox")));

        Assert.Equal("/bin/busybox", new FileInfo(At("bin/sh")).LinkTarget);
        var sh = FileStat.Of(At("bin/sh"));
        Assert.Equal(("symbolic link", 12, 34), (sh.Type, sh.Uid, sh.Gid));
        Assert.Equal(TarLayers.Time.ToUnixTimeSeconds(), sh.MTime);
        Assert.Equal("../nowhere", new FileInfo(At("bin/dangling")).LinkTarget);
        var busybox = FileStat.Of(At("bin/busybox"));
        Assert.Equal(3, busybox.Links);
        Assert.Equal(busybox.Inode, FileStat.Of(At("bin/ls")).Inode);
        Assert.Equal(busybox.Inode, FileStat.Of(At("bin/cat")).Inode);
        Assert.Equal("#!busybox", await System.IO.File.ReadAllTextAsync(At("bin/ls")));
    }

    [Fact]
    public async Task Device_nodes_and_fifos_are_created_with_their_numbers_and_modes()
    {
        await UnpackAsync(Tar(
            DeviceEntry(TarEntryType.CharacterDevice, "dev/null", 1, 3, 0x1B6 /* 0666 */),
            DeviceEntry(TarEntryType.BlockDevice, "dev/loop0", 7, 0, 0x1B0 /* 0660 */),
            DeviceEntry(TarEntryType.Fifo, "run/pipe", 0, 0, 0x180 /* 0600 */)));

        var null_ = FileStat.Of(At("dev/null"));
        Assert.Equal(("character special file", 1, 3, "666"), (null_.Type, null_.Major, null_.Minor, null_.Mode));
        var loop = FileStat.Of(At("dev/loop0"));
        Assert.Equal(("block special file", 7, 0, "660"), (loop.Type, loop.Major, loop.Minor, loop.Mode));
        var pipe = FileStat.Of(At("run/pipe"));
        Assert.Equal(("fifo", "600"), (pipe.Type, pipe.Mode));
    }

    [Fact]
    public async Task Whiteouts_become_0_0_character_devices_named_after_what_they_hide()
    {
        await UnpackAsync(Tar(
            FileEntry(".wh.gone", ""),
            DirectoryEntry("etc/"),
            FileEntry("etc/.wh.passwd", ""),
            FileEntry("etc/.wh..wh.plnk", "")));

        foreach (var hidden in (string[])["gone", "etc/passwd"])
        {
            var stat = FileStat.Of(At(hidden));
            Assert.Equal(("character special file", 0, 0, 0, 0), (stat.Type, stat.Major, stat.Minor, stat.Uid, stat.Gid));
        }
        Assert.False(Path.Exists(At(".wh.gone")));
        Assert.False(Path.Exists(At("etc/.wh.passwd")));
        Assert.Equal(["passwd"], System.IO.Directory.GetFileSystemEntries(At("etc")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Opaque_marker_makes_its_directory_overlay_opaque()
    {
        await UnpackAsync(Tar(
            DirectoryEntry("var/cache/"),
            FileEntry("var/cache/.wh..wh..opq", ""),
            FileEntry("var/cache/fresh", "new"),
            FileEntry("var/lib/.wh..wh..opq", "")));

        Assert.Equal("y", FileStat.ExtendedAttribute(At("var/cache"), "trusted.overlay.opaque"));
        Assert.Equal("y", FileStat.ExtendedAttribute(At("var/lib"), "trusted.overlay.opaque"));
        Assert.Null(FileStat.ExtendedAttribute(At("var"), "trusted.overlay.opaque"));
        Assert.False(Path.Exists(At("var/cache/.wh..wh..opq")));
        Assert.Equal("new", await System.IO.File.ReadAllTextAsync(At("var/cache/fresh")));
    }

    [Theory]
    [InlineData(MediaTypes.OciLayer, "none")]
    [InlineData(MediaTypes.OciLayerGzip, "gzip")]
    [InlineData(MediaTypes.DockerLayerGzip, "gzip")]
    [InlineData(MediaTypes.OciLayerZstd, "zstd")]
    [InlineData(MediaTypes.OciLayerGzip, "none")] // mislabelled: the magic bytes decide
    [InlineData(MediaTypes.OciLayer, "gzip")]
    [InlineData(MediaTypes.OciLayerGzip, "zstd")]
    public async Task Compressed_layers_unpack_and_report_the_diff_id_of_the_tar(string mediaType, string compression)
    {
        var tar = Tar(FileEntry("hello.txt", "hello"), SymlinkEntry("link", "hello.txt"));
        var blob = compression switch { "gzip" => Gzip(tar), "zstd" => Zstd(tar), _ => tar };

        var result = await UnpackAsync(blob, mediaType);

        Assert.Equal("hello", await System.IO.File.ReadAllTextAsync(At("hello.txt")));
        Assert.Equal($"sha256:{Convert.ToHexStringLower(SHA256.HashData(tar))}", result.DiffId.ToString());
    }

    [Fact]
    public async Task Layers_are_read_forward_only()
    {
        var tar = Tar(FileEntry("a/b/c.txt", new string('x', 100_000)));
        using var pipe = new ForwardOnlyStream(Zstd(tar));

        var result = await LayerUnpacker.UnpackAsync(pipe, MediaTypes.OciLayerZstd, Root, TestTimeout.Token());

        Assert.Equal(100_000, new FileInfo(At("a/b/c.txt")).Length);
        Assert.Equal(Digest.Of(tar), result.DiffId);
    }

    [Fact]
    public async Task Later_entries_replace_earlier_ones()
    {
        await UnpackAsync(Tar(
            FileEntry("thing", "file"),
            DirectoryEntry("thing/"),
            FileEntry("thing/inside", "x"),
            DirectoryEntry("other/"),
            FileEntry("other/child", "x"),
            FileEntry("other", "now a file"),
            FileEntry("twice", "first"),
            FileEntry("twice", "second")));

        Assert.Equal("directory", FileStat.Of(At("thing")).Type);
        Assert.Equal("now a file", await System.IO.File.ReadAllTextAsync(At("other")));
        Assert.Equal("second", await System.IO.File.ReadAllTextAsync(At("twice")));
    }

    [Fact]
    public async Task Unsupported_media_types_are_refused()
    {
        var e = await Assert.ThrowsAsync<ImagePullException>(() => UnpackAsync(Tar(FileEntry("a", "a")), "application/vnd.oci.image.layer.v1.tar+gzip+encrypted"));
        Assert.Contains("unsupported layer media type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_archives_are_refused()
    {
        var gzip = Gzip(Tar(FileEntry("a", new string('a', 10_000))));
        var e = await Assert.ThrowsAsync<ImagePullException>(() => UnpackAsync(gzip[..(gzip.Length / 2)], MediaTypes.OciLayerGzip));
        Assert.Contains("failed to extract layer", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Escapes => new()
    {
        { "dot-dot", ["../evil"] },
        { "dot-dot deeper", ["a/../../evil"] },
        { "absolute", ["{outside}/evil"] },
        { "hard link up", ["link->../outside/secret"] },
        { "hard link absolute", ["link->/etc/passwd"] },
        { "beneath a symlink", ["esc=>../outside", "esc/evil"] },
        { "beneath an absolute symlink", ["esc=>{outside}", "esc/evil"] },
        { "hard link through a symlink", ["esc=>../outside", "link->esc/secret"] },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Entries_escaping_the_root_are_refused(string why, string[] entries)
    {
        var outside = System.IO.Directory.CreateDirectory(_temp.Combine("outside")).FullName;
        await System.IO.File.WriteAllTextAsync(Path.Combine(outside, "secret"), "secret");
        var tar = Tar([.. entries.Select(e => ToEntry(e.Replace("{outside}", outside, StringComparison.Ordinal)))]);

        var e = await Assert.ThrowsAsync<ImagePullException>(() => UnpackAsync(tar));

        Assert.Contains("failed to extract layer", e.Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(_temp.Combine("evil")), why);
        Assert.False(Path.Exists(Path.Combine(outside, "evil")), why);
        Assert.Equal(["secret"], System.IO.Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal(1, FileStat.Of(Path.Combine(outside, "secret")).Links);
    }

    [Fact]
    public async Task Hard_links_to_entries_not_in_the_layer_are_refused()
    {
        var e = await Assert.ThrowsAsync<ImagePullException>(() => UnpackAsync(Tar(HardLinkEntry("b", "a"))));
        Assert.Contains("not in this layer", e.Message, StringComparison.Ordinal);
    }

    private static PaxTarEntry ToEntry(string spec) =>
        spec.Split("->") is [var link, var target] ? HardLinkEntry(link, target)
        : spec.Split("=>") is [var symlink, var to] ? SymlinkEntry(symlink, to)
        : FileEntry(spec, "evil");

    private static (string Mode, int Uid, int Gid) Summary(FileStat stat) => (stat.Mode, stat.Uid, stat.Gid);

    /// <summary>A stream that can only be read forward, like a response body.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
