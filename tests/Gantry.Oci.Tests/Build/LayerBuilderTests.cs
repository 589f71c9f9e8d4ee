using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Gantry.Oci.Build;

namespace Gantry.Oci.Tests.Build;

public sealed class LayerBuilderTests : IDisposable
{
    private const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode Regular = (UnixFileMode)0x1A4;    // 0644
    private const UnixFileMode Private = (UnixFileMode)0x180;    // 0600
    private static readonly DateTimeOffset Timestamp = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly string LongName = new string('n', 120) + ".txt";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_directory_becomes_a_gzip_tar_with_its_tree_in_ordinal_order()
    {
        var rootfs = CreateRootFs();

        await LayerBuilder.BuildAsync(rootfs, _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token());

        var entries = LayerReader.Read(_temp.Combine("layer.tar.gz"));
        Assert.Equal(
            ["bin/", "bin/app", "deep/", "deep/nested/", $"deep/nested/{LongName}", "dirlink", "etc/", "etc/.hidden", "etc/config.json", "link"],
            entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal((0, 0, Timestamp), (e.Uid, e.Gid, e.ModificationTime)));
    }

    [Fact]
    public async Task Files_keep_contents_and_mode_bits_and_symlinks_keep_their_target_unfollowed()
    {
        var rootfs = CreateRootFs();

        await LayerBuilder.BuildAsync(rootfs, _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token());

        var entries = LayerReader.Read(_temp.Combine("layer.tar.gz")).ToDictionary(e => e.Name);
        var app = entries["bin/app"];
        Assert.Equal((TarEntryType.RegularFile, Executable), (app.Type, app.Mode));
        Assert.Equal("#!/bin/sh\necho hi\n", Encoding.UTF8.GetString(app.Content));
        Assert.Equal((TarEntryType.RegularFile, Private), (entries["etc/.hidden"].Type, entries["etc/.hidden"].Mode));
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(entries["etc/config.json"].Content));
        Assert.Equal("long", Encoding.UTF8.GetString(entries[$"deep/nested/{LongName}"].Content));
        Assert.Equal((TarEntryType.Directory, Executable), (entries["bin/"].Type, entries["bin/"].Mode));
        Assert.Equal((TarEntryType.SymbolicLink, "bin/app"), (entries["link"].Type, entries["link"].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "/bin"), (entries["dirlink"].Type, entries["dirlink"].LinkName));
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("dirlink/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_digest_and_size_are_the_blob_file_and_the_diff_id_is_the_uncompressed_tar()
    {
        var rootfs = CreateRootFs();
        var path = _temp.Combine("layer.tar.gz");

        var layer = await LayerBuilder.BuildAsync(rootfs, path, Timestamp, TestTimeout.Token());

        var blob = await File.ReadAllBytesAsync(path, TestTimeout.Token());
        Assert.Equal(Digest.Of(blob), layer.Digest);
        Assert.Equal(blob.Length, layer.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(LayerReader.Decompress(path))), layer.DiffId.Hex);
        Assert.Equal(Digest.Sha256, layer.DiffId.Algorithm);
    }

    [Fact]
    public async Task Building_the_same_tree_twice_gives_the_same_digest_whatever_the_files_mtimes()
    {
        var rootfs = CreateRootFs();
        var first = await LayerBuilder.BuildAsync(rootfs, _temp.Combine("first.tar.gz"), Timestamp, TestTimeout.Token());
        File.SetLastWriteTimeUtc(Path.Combine(rootfs, "bin", "app"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var second = await LayerBuilder.BuildAsync(rootfs, _temp.Combine("second.tar.gz"), Timestamp, TestTimeout.Token());

        Assert.Equal(first, second);
        Assert.Equal(await File.ReadAllBytesAsync(_temp.Combine("first.tar.gz")), await File.ReadAllBytesAsync(_temp.Combine("second.tar.gz")));
    }

    [Fact]
    public async Task A_different_timestamp_gives_a_different_digest()
    {
        var rootfs = CreateRootFs();

        var first = await LayerBuilder.BuildAsync(rootfs, _temp.Combine("first.tar.gz"), Timestamp, TestTimeout.Token());
        var second = await LayerBuilder.BuildAsync(rootfs, _temp.Combine("second.tar.gz"), Timestamp.AddDays(1), TestTimeout.Token());

        Assert.NotEqual(first.DiffId, second.DiffId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tarball_is_restreamed_as_gzip_with_names_made_relative(bool gzipped)
    {
        var tarball = _temp.Combine(gzipped ? "rootfs.tgz" : "rootfs.tar");
        WriteTarball(tarball, gzipped);

        var layer = await LayerBuilder.BuildAsync(tarball, _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token());

        var entries = LayerReader.Read(_temp.Combine("layer.tar.gz"));
        Assert.Equal(["etc/", "etc/hosts", $"usr/{LongName}", "usr/hosts-link", "usr/hard", "empty"], entries.Select(e => e.Name));
        var byName = entries.ToDictionary(e => e.Name);
        Assert.Equal("127.0.0.1 localhost\n", Encoding.UTF8.GetString(byName["etc/hosts"].Content));
        Assert.Equal((Private, 1000, 1000), (byName["etc/hosts"].Mode, byName["etc/hosts"].Uid, byName["etc/hosts"].Gid));
        Assert.Equal(Timestamp.AddYears(-1), byName["etc/hosts"].ModificationTime);
        Assert.Equal(new byte[100_000], byName[$"usr/{LongName}"].Content);
        Assert.Equal((TarEntryType.SymbolicLink, "../etc/hosts"), (byName["usr/hosts-link"].Type, byName["usr/hosts-link"].LinkName));
        Assert.Equal((TarEntryType.HardLink, "etc/hosts"), (byName["usr/hard"].Type, byName["usr/hard"].LinkName));
        Assert.Empty(byName["empty"].Content);
        Assert.Equal(Digest.Of(await File.ReadAllBytesAsync(_temp.Combine("layer.tar.gz"))), layer.Digest);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(LayerReader.Decompress(_temp.Combine("layer.tar.gz")))), layer.DiffId.Hex);
    }

    [Fact]
    public async Task A_tarball_entry_with_extended_attributes_keeps_them()
    {
        var tarball = _temp.Combine("xattr.tar");
        using (var writer = new TarWriter(File.Create(tarball), TarEntryFormat.Pax))
        {
            var ping = new PaxTarEntry(TarEntryType.RegularFile, "./bin/ping", [new("SCHILY.xattr.security.capability", "cap")])
            {
                DataStream = new MemoryStream([1, 2, 3]),
            };
            writer.WriteEntry(ping);
        }

        await LayerBuilder.BuildAsync(tarball, _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token());

        using var gzip = new GZipStream(File.OpenRead(_temp.Combine("layer.tar.gz")), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entry = Assert.IsType<PaxTarEntry>(reader.GetNextEntry());
        Assert.Equal("bin/ping", entry.Name);
        Assert.Equal("cap", entry.ExtendedAttributes["SCHILY.xattr.security.capability"]);
    }

    [Fact]
    public async Task A_missing_root_filesystem_fails_and_leaves_no_file()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            LayerBuilder.BuildAsync(_temp.Combine("nope"), _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token()));

        Assert.False(File.Exists(_temp.Combine("layer.tar.gz")));
    }

    [Fact]
    public async Task A_corrupt_tarball_fails_and_leaves_no_file()
    {
        var tarball = _temp.Combine("bad.tar.gz");
        await File.WriteAllBytesAsync(tarball, [0x1f, 0x8b, 1, 2, 3, 4, 5], TestTimeout.Token());

        await Assert.ThrowsAnyAsync<Exception>(() => LayerBuilder.BuildAsync(tarball, _temp.Combine("layer.tar.gz"), Timestamp, TestTimeout.Token()));

        Assert.False(File.Exists(_temp.Combine("layer.tar.gz")));
    }

    private string CreateRootFs()
    {
        var root = _temp.Combine("rootfs");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "deep", "nested"));
        foreach (var directory in new[] { "bin", "etc", "deep", "deep/nested" })
        {
            File.SetUnixFileMode(Path.Combine(root, directory), Executable);
        }
        WriteFile(Path.Combine(root, "bin", "app"), "#!/bin/sh\necho hi\n", Executable);
        WriteFile(Path.Combine(root, "etc", "config.json"), """{"a":1}""", Regular);
        WriteFile(Path.Combine(root, "etc", ".hidden"), "secret", Private);
        WriteFile(Path.Combine(root, "deep", "nested", LongName), "long", Regular);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "bin/app");
        Directory.CreateSymbolicLink(Path.Combine(root, "dirlink"), "/bin");
        return root;
    }

    private static void WriteFile(string path, string content, UnixFileMode mode)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
    }

    private static void WriteTarball(string path, bool gzipped)
    {
        using var file = File.Create(path);
        using Stream output = gzipped ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(output, TarEntryFormat.Ustar);
        var old = Timestamp.AddYears(-1);
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "./") { ModificationTime = old });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "./etc/") { ModificationTime = old });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "./etc/hosts")
        {
            ModificationTime = old,
            Mode = Private,
            Uid = 1000,
            Gid = 1000,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes("127.0.0.1 localhost\n")),
        });
        writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, $"/usr/{LongName}") { ModificationTime = old, DataStream = new MemoryStream(new byte[100_000]) });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "usr/hosts-link") { ModificationTime = old, LinkName = "../etc/hosts" });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.HardLink, "./usr/hard") { ModificationTime = old, LinkName = "./etc/hosts" });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "empty") { ModificationTime = old });
    }
}
