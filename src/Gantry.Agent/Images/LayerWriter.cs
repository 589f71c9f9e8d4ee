using System.Formats.Tar;

namespace Gantry.Agent.Images;

/// <summary>
/// Applies tar entries of one layer under a root directory as an overlayfs lower ("diff") directory.
/// Every path is cleaned first and every parent component must be a real directory of this layer (never a symlink),
/// so nothing is written outside the root. Directory times are set last, once their contents stop changing them.
/// </summary>
internal sealed class LayerWriter
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMetaPrefix = ".wh..wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OpaqueAttribute = "trusted.overlay.opaque";
    private const UnixFileMode ImplicitDirectoryMode = (UnixFileMode)0x1ED; // 0755
    private const int CopyBufferSize = 128 * 1024;

    private readonly string _root;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];

    public LayerWriter(string root)
    {
        _root = Path.GetFullPath(root);
    }

    /// <summary>Bytes of regular file content written.</summary>
    public long Bytes { get; private set; }

    /// <summary>Entries applied.</summary>
    public long Entries { get; private set; }

    private enum Kind
    {
        Missing,
        Directory,
        Symlink,
        Other,
    }

    /// <summary>Applies one entry; its data stream (if any) is read to the end.</summary>
    /// <exception cref="ImagePullException">The entry escapes the root or cannot be applied.</exception>
    public async Task ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var path = LayerPath.Clean(entry.Name) ?? throw Refused(entry, "path escapes the layer root");
        try
        {
            await ApplyAsync(entry, path, cancellationToken).ConfigureAwait(false);
            Entries++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImagePullException($"failed to extract layer: {entry.Name}: {e.Message}", e);
        }
    }

    /// <summary>Sets the directory times held back while their contents were written.</summary>
    public void Finish()
    {
        foreach (var (path, time) in _directoryTimes)
        {
            var full = Full(path);
            if (KindOf(full) == Kind.Directory)
            {
                LayerSyscalls.SetTimes(full, time);
            }
        }
    }

    private async Task ApplyAsync(TarEntry entry, string path, CancellationToken cancellationToken)
    {
        var (parent, name) = LayerPath.Split(path);
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry, parent, name);
            return;
        }
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                ApplyDirectory(entry, path);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await ApplyFileAsync(entry, parent, path, cancellationToken).ConfigureAwait(false);
                break;
            case TarEntryType.SymbolicLink:
                PrepareLeaf(entry, parent, path);
                File.CreateSymbolicLink(Full(path), entry.LinkName);
                SetMetadata(entry, Full(path), mode: false);
                break;
            case TarEntryType.HardLink:
                ApplyHardLink(entry, parent, path);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                ApplyNode(entry, parent, path);
                break;
            case TarEntryType.GlobalExtendedAttributes:
                break;
            default:
                throw Refused(entry, $"unsupported tar entry type {entry.EntryType}");
        }
    }

    private void ApplyWhiteout(TarEntry entry, string parent, string name)
    {
        EnsureDirectory(entry, parent);
        if (name == OpaqueMarker)
        {
            LayerSyscalls.SetExtendedAttribute(Full(parent), OpaqueAttribute, "y");
            return;
        }
        if (name.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal))
        {
            return; // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs), meaningless to overlay
        }
        var hidden = name[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or "..")
        {
            throw Refused(entry, "whiteout names no file");
        }
        var path = LayerPath.Join(parent, hidden);
        Remove(path);
        var full = Full(path);
        LayerSyscalls.MakeNode(full, LayerSyscalls.CharacterDevice, 0, 0, 0);
        LayerSyscalls.ChangeOwner(full, entry.Uid, entry.Gid);
    }

    private void ApplyDirectory(TarEntry entry, string path)
    {
        var full = Full(path);
        if (path.Length > 0)
        {
            var (parent, _) = LayerPath.Split(path);
            EnsureDirectory(entry, parent);
            if (KindOf(full) != Kind.Directory)
            {
                Remove(path);
                Directory.CreateDirectory(full, ImplicitDirectoryMode);
            }
            _directories.Add(path);
        }
        SetOwnerAndMode(entry, full);
        _directoryTimes.Add((path, entry.ModificationTime));
    }

    private async Task ApplyFileAsync(TarEntry entry, string parent, string path, CancellationToken cancellationToken)
    {
        PrepareLeaf(entry, parent, path);
        var full = Full(path);
        var file = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await using (file.ConfigureAwait(false))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
            }
        }
        Bytes += entry.Length;
        SetMetadata(entry, full, mode: true);
    }

    private void ApplyHardLink(TarEntry entry, string parent, string path)
    {
        var target = LayerPath.Clean(entry.LinkName);
        if (string.IsNullOrEmpty(target))
        {
            throw Refused(entry, $"hard link target {entry.LinkName} escapes the layer root");
        }
        var (targetParent, _) = LayerPath.Split(target);
        if (!IsVerifiedDirectoryChain(targetParent))
        {
            throw Refused(entry, $"hard link target {entry.LinkName} is not inside this layer");
        }
        var kind = KindOf(Full(target));
        if (kind is Kind.Missing or Kind.Directory)
        {
            throw Refused(entry, $"hard link target {entry.LinkName} is {(kind == Kind.Missing ? "not in this layer" : "a directory")}");
        }
        if (target == path)
        {
            return;
        }
        PrepareLeaf(entry, parent, path);
        LayerSyscalls.HardLink(Full(target), Full(path));
    }

    private void ApplyNode(TarEntry entry, string parent, string path)
    {
        PrepareLeaf(entry, parent, path);
        var (major, minor) = entry is PosixTarEntry posix ? (posix.DeviceMajor, posix.DeviceMinor) : (0, 0);
        var type = entry.EntryType switch
        {
            TarEntryType.CharacterDevice => LayerSyscalls.CharacterDevice,
            TarEntryType.BlockDevice => LayerSyscalls.BlockDevice,
            _ => LayerSyscalls.Fifo,
        };
        var full = Full(path);
        LayerSyscalls.MakeNode(full, type, 0, (uint)major, (uint)minor);
        SetMetadata(entry, full, mode: true);
    }

    /// <summary>Makes the parent a directory and removes whatever the leaf path holds, so a new leaf can be created there.</summary>
    private void PrepareLeaf(TarEntry entry, string parent, string path)
    {
        if (path.Length == 0)
        {
            throw Refused(entry, "only a directory can replace the layer root");
        }
        EnsureDirectory(entry, parent);
        Remove(path);
    }

    /// <summary>Owner, then mode (chown clears setuid and setgid), then times; symlinks have no mode of their own.</summary>
    private static void SetMetadata(TarEntry entry, string full, bool mode)
    {
        if (mode)
        {
            SetOwnerAndMode(entry, full);
        }
        else
        {
            LayerSyscalls.ChangeOwner(full, entry.Uid, entry.Gid);
        }
        LayerSyscalls.SetTimes(full, entry.ModificationTime);
    }

    private static void SetOwnerAndMode(TarEntry entry, string full)
    {
        LayerSyscalls.ChangeOwner(full, entry.Uid, entry.Gid);
        File.SetUnixFileMode(full, entry.Mode);
    }

    /// <summary>Makes every component of <paramref name="directory"/> a directory (0755 when implied), refusing symlinks and files on the way.</summary>
    private void EnsureDirectory(TarEntry entry, string directory)
    {
        if (_directories.Contains(directory))
        {
            return;
        }
        var (parent, _) = LayerPath.Split(directory);
        EnsureDirectory(entry, parent);
        var full = Full(directory);
        switch (KindOf(full))
        {
            case Kind.Missing:
                Directory.CreateDirectory(full, ImplicitDirectoryMode);
                break;
            case Kind.Directory:
                break;
            case Kind.Symlink:
                throw Refused(entry, $"{directory} is a symlink; an entry beneath it could escape the layer root");
            default:
                throw Refused(entry, $"{directory} is not a directory");
        }
        _directories.Add(directory);
    }

    /// <summary>True when every component of <paramref name="directory"/> is a real directory already in the layer.</summary>
    private bool IsVerifiedDirectoryChain(string directory)
    {
        if (_directories.Contains(directory))
        {
            return true;
        }
        var (parent, _) = LayerPath.Split(directory);
        if (!IsVerifiedDirectoryChain(parent) || KindOf(Full(directory)) != Kind.Directory)
        {
            return false;
        }
        _directories.Add(directory);
        return true;
    }

    private void Remove(string path)
    {
        var full = Full(path);
        switch (KindOf(full))
        {
            case Kind.Missing:
                return;
            case Kind.Directory:
                Directory.Delete(full, recursive: true);
                _directories.RemoveWhere(d => d == path || d.StartsWith(path + "/", StringComparison.Ordinal));
                return;
            default:
                File.Delete(full);
                return;
        }
    }

    private string Full(string path) => path.Length == 0 ? _root : Path.Join(_root, path);

    /// <summary>What is at <paramref name="full"/> itself (lstat semantics: a symlink is a symlink whatever it points at).</summary>
    private static Kind KindOf(string full)
    {
        try
        {
            var attributes = File.GetAttributes(full);
            return (attributes & FileAttributes.ReparsePoint) != 0 ? Kind.Symlink
                : (attributes & FileAttributes.Directory) != 0 ? Kind.Directory
                : Kind.Other;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Kind.Missing;
        }
    }

    private static ImagePullException Refused(TarEntry entry, string reason) => new($"failed to extract layer: {entry.Name}: {reason}");
}
