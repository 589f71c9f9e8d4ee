using System.Formats.Tar;

namespace Gantry.Oci.Build;

/// <summary>
/// Writes a directory tree into a tar: ordinal order, relative names, directories, regular files and symlinks
/// (the link itself, never its target), mode bits kept, owner 0:0, one fixed mtime — so the same tree gives the same bytes.
/// Hard links are stored as separate files; devices, FIFOs and sockets are not supported.
/// </summary>
internal static class DirectoryLayerSource
{
    private const UnixFileMode SymlinkMode = (UnixFileMode)0x1FF; // 0777, what lstat reports for a symlink

    private static readonly EnumerationOptions Children = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    public static Task WriteAsync(TarWriter writer, string root, DateTimeOffset modificationTime, CancellationToken cancellationToken) =>
        WriteChildrenAsync(writer, new DirectoryInfo(root), "", modificationTime, cancellationToken);

    private static async Task WriteChildrenAsync(TarWriter writer, DirectoryInfo directory, string prefix, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        var children = directory.GetFileSystemInfos("*", Children);
        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = prefix + child.Name;
            if (child.LinkTarget is { } target)
            {
                var link = NewEntry(TarEntryType.SymbolicLink, name, SymlinkMode, modificationTime);
                link.LinkName = target;
                await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
            }
            else if (child is DirectoryInfo subdirectory)
            {
                var entry = NewEntry(TarEntryType.Directory, name + "/", child.UnixFileMode, modificationTime);
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                await WriteChildrenAsync(writer, subdirectory, name + "/", modificationTime, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteFileAsync(writer, child, name, modificationTime, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteFileAsync(TarWriter writer, FileSystemInfo file, string name, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        var content = new FileStream(file.FullName, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = LayerBuilder.BufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        await using (content.ConfigureAwait(false))
        {
            var entry = NewEntry(TarEntryType.RegularFile, name, file.UnixFileMode, modificationTime);
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static GnuTarEntry NewEntry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset modificationTime) => new(type, name)
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
        ModificationTime = modificationTime,
    };
}
