namespace Gantry.Store;

/// <summary>
/// Files and directories only their owner may read: 0600 and 0700, set explicitly after creation so the
/// process umask (which may allow more, or less) does not decide. Everything a data directory holds — the
/// databases and their -wal/-shm files, the master key, registry blobs and uploads — is created through here.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Bits that let anyone but the owner in.</summary>
    public const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700; an existing directory is set to 0700.</summary>
    public static string CreateDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
        return path;
    }

    /// <summary>Options that create a new file as 0600 (the umask can only remove bits; <see cref="Restrict"/> pins it).</summary>
    public static FileStreamOptions NewFile(System.IO.FileMode mode, FileAccess access, FileShare share = FileShare.None, int bufferSize = 4096,
        FileOptions options = FileOptions.None) => new()
        {
            Mode = mode,
            Access = access,
            Share = share,
            BufferSize = bufferSize,
            Options = options,
            UnixCreateMode = FileMode,
        };

    /// <summary>Creates an empty file as 0600, or sets an existing one to 0600.</summary>
    public static void Touch(string path)
    {
        using (new FileStream(path, NewFile(System.IO.FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite)))
        {
        }
        Restrict(path);
    }

    /// <summary>Sets an existing file to 0600; a missing file is left missing.</summary>
    public static void Restrict(string path)
    {
        try
        {
            File.SetUnixFileMode(path, FileMode);
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>Writes <paramref name="text"/> to a new or replaced 0600 file.</summary>
    public static void WriteAllText(string path, string text)
    {
        using (var file = new FileStream(path, NewFile(System.IO.FileMode.Create, FileAccess.Write)))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
        }
        Restrict(path);
    }
}
