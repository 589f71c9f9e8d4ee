using System.Formats.Tar;
using System.IO.Compression;

namespace Gantry.Oci.Tests;

/// <summary>Reads a gzip layer back into (entry, content) pairs with System.Formats.Tar.</summary>
internal static class LayerReader
{
    public sealed record Entry(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, DateTimeOffset ModificationTime, string LinkName, byte[] Content);

    public static List<Entry> Read(string gzipPath)
    {
        using var file = File.OpenRead(gzipPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<Entry>();
        while (reader.GetNextEntry() is { } entry)
        {
            var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add(new Entry(entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, entry.ModificationTime, entry.LinkName, content.ToArray()));
        }
        return entries;
    }

    public static byte[] Decompress(string gzipPath)
    {
        using var file = File.OpenRead(gzipPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
