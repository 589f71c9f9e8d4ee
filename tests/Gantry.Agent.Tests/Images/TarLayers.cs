using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ZstdSharp;

namespace Gantry.Agent.Tests.Images;

/// <summary>Builds layer tars entry by entry for tests, and compresses them the ways registries carry layers.</summary>
internal static class TarLayers
{
    public static readonly DateTimeOffset Time = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static byte[] Tar(params PaxTarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public static PaxTarEntry FileEntry(string name, string content, int mode = 0x1A4 /* 0644 */, int uid = 0, int gid = 0, DateTimeOffset? time = null) =>
        Entry(TarEntryType.RegularFile, name, mode, uid, gid, time, new MemoryStream(Encoding.UTF8.GetBytes(content)));

    public static PaxTarEntry DirectoryEntry(string name, int mode = 0x1ED /* 0755 */, int uid = 0, int gid = 0, DateTimeOffset? time = null) =>
        Entry(TarEntryType.Directory, name, mode, uid, gid, time, null);

    public static PaxTarEntry SymlinkEntry(string name, string target, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0x1FF, uid, gid, null, null);
        entry.LinkName = target;
        return entry;
    }

    public static PaxTarEntry HardLinkEntry(string name, string target)
    {
        var entry = Entry(TarEntryType.HardLink, name, 0x1A4, 0, 0, null, null);
        entry.LinkName = target;
        return entry;
    }

    public static PaxTarEntry DeviceEntry(TarEntryType type, string name, int major, int minor, int mode)
    {
        var entry = Entry(type, name, mode, 0, 0, null, null);
        if (type != TarEntryType.Fifo)
        {
            entry.DeviceMajor = major;
            entry.DeviceMinor = minor;
        }
        return entry;
    }

    public static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }
        return output.ToArray();
    }

    public static byte[] Zstd(byte[] tar)
    {
        using var compressor = new Compressor();
        return compressor.Wrap(tar).ToArray();
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid, DateTimeOffset? time, Stream? data)
    {
        var entry = new PaxTarEntry(type, name)
        {
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = time ?? Time,
        };
        if (data is not null)
        {
            entry.DataStream = data;
        }
        return entry;
    }
}
