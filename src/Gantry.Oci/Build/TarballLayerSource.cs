using System.Formats.Tar;

namespace Gantry.Oci.Build;

/// <summary>
/// Re-streams the entries of an existing tar into a layer tar, one entry in memory at a time. Names (and hard link
/// targets) lose any leading <c>./</c> or <c>/</c>; the root entry is dropped; owners, modes and times are kept.
/// Entries carrying extra PAX attributes (xattrs and the like) stay PAX so those survive; the rest are written as GNU.
/// </summary>
internal static class TarballLayerSource
{
    private static readonly HashSet<string> StandardPaxKeys =
        new(["path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid", "uname", "gname"], StringComparer.Ordinal);

    public static async Task WriteAsync(TarWriter writer, Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } source)
            {
                if (source.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }
                var name = TarNames.Normalize(source.Name);
                if (name.Length == 0 || name == "/")
                {
                    continue;
                }
                var entry = Convert(source, name);
                if (source.DataStream is { } data)
                {
                    entry.DataStream = new KnownLengthReadStream(data, source.Length);
                }
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static PosixTarEntry Convert(TarEntry source, string name)
    {
        var type = source.EntryType switch
        {
            TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.RegularFile => TarEntryType.RegularFile,
            TarEntryType.Directory or TarEntryType.SymbolicLink or TarEntryType.HardLink or TarEntryType.CharacterDevice
                or TarEntryType.BlockDevice or TarEntryType.Fifo => source.EntryType,
            _ => throw new InvalidDataException($"tar entry '{source.Name}' has unsupported type {source.EntryType}"),
        };
        var extra = source is PaxTarEntry pax
            ? pax.ExtendedAttributes.Where(a => !StandardPaxKeys.Contains(a.Key)).ToList()
            : [];
        PosixTarEntry entry = extra.Count > 0 ? new PaxTarEntry(type, name, extra) : new GnuTarEntry(type, name);
        entry.Mode = source.Mode;
        entry.Uid = source.Uid;
        entry.Gid = source.Gid;
        entry.ModificationTime = source.ModificationTime;
        if (source is PosixTarEntry posix)
        {
            entry.UserName = posix.UserName;
            entry.GroupName = posix.GroupName;
            if (type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
            {
                entry.DeviceMajor = posix.DeviceMajor;
                entry.DeviceMinor = posix.DeviceMinor;
            }
        }
        if (type == TarEntryType.SymbolicLink)
        {
            entry.LinkName = source.LinkName;
        }
        else if (type == TarEntryType.HardLink)
        {
            entry.LinkName = TarNames.Normalize(source.LinkName);
        }
        return entry;
    }
}
