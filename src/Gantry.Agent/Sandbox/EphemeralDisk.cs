using System.Globalization;
using Gantry.Agent.Runtime.Conmon;

namespace Gantry.Agent.Sandbox;

/// <summary>
/// A task's ephemeral storage: a sparse file of its size, formatted ext4 and loop-mounted, so a task writing past
/// its size gets ENOSPC and the node's disk holds at most that much for it. Layout under the node's
/// <c>&lt;state&gt;/sandboxes</c>: <c>&lt;task id&gt;.ext4</c> (the image) and <c>&lt;task id&gt;/</c> (where it is mounted).
/// Creating one writes a few MiB whatever its size: the file is sparse, mkfs leaves inode tables and journal
/// uninitialised (<c>lazy_itable_init</c>, <c>lazy_journal_init</c>) and the mount tells the kernel not to zero them
/// later (<c>noinit_itable</c>): reads of never-written blocks of a sparse file are zeros anyway.
/// </summary>
/// <remarks>One formatted spare of the default size waits in <c>&lt;state&gt;/sandboxes-spare</c> (outside
/// <c>sandboxes</c>, so no sweep takes it for a task's): a task of that size takes it with a rename instead of waiting for
/// mkfs (about a tenth of a second), and the next spare is made after the task's storage is mounted.</remarks>
internal sealed class EphemeralDisk(string directory)
{
    /// <summary>The size of the spare: Fargate's default ephemeral storage.</summary>
    public const int SpareSizeGiB = 20;
    private readonly string _spareDirectory = directory + "-spare";
    private int _preparing;

    public const string MkfsExt4 = "/usr/sbin/mkfs.ext4";
    public const string Mount = "/usr/bin/mount";
    private const long GiB = 1L << 30;
    private const string ImageSuffix = ".ext4";
    private const string PartialSuffix = ".ext4.partial";

    public string ImageOf(string taskId) => Path.Combine(directory, taskId + ImageSuffix);

    public string MountPointOf(string taskId) => Path.Combine(directory, taskId);

    /// <summary>Mounts the task's filesystem (making it first when it does not exist); returns the mount point.</summary>
    public async Task<string> EnsureAsync(string taskId, int sizeGiB, CancellationToken ct)
    {
        var mountPoint = MountPointOf(taskId);
        Directory.CreateDirectory(mountPoint);
        if (MountPoints.IsMountRoot(mountPoint))
        {
            return mountPoint; // the agent restarted: the task's files are where it left them
        }
        var image = ImageOf(taskId);
        if (!File.Exists(image) && !(sizeGiB == SpareSizeGiB && TakeSpare(image)))
        {
            await FormatAsync(Path.Combine(directory, taskId + PartialSuffix), image, sizeGiB, ct).ConfigureAwait(false);
        }
        // mount sets up the loop device with autoclear: unmounting detaches it.
        await RunAsync(Mount, ["-t", "ext4", "-o", "loop,nodev,noinit_itable", image, mountPoint], ct).ConfigureAwait(false);
        return mountPoint;
    }

    /// <summary>Makes the spare when there is none (one at a time: a call while one is being made returns at once).</summary>
    public async Task PrepareSpareAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _preparing, 1) == 1)
        {
            return;
        }
        try
        {
            if (!File.Exists(SpareImage))
            {
                Directory.CreateDirectory(_spareDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                await FormatAsync(SpareImage + ".partial", SpareImage, SpareSizeGiB, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _preparing, 0);
        }
    }

    private string SpareImage => Path.Combine(_spareDirectory, $"{SpareSizeGiB}{ImageSuffix}");

    /// <summary>Moves the spare into place as the task's image; false when there is none.</summary>
    private bool TakeSpare(string image)
    {
        try
        {
            File.Move(SpareImage, image);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Formats a sparse image under another name and renames it: an image that exists is complete.</summary>
    private static async Task FormatAsync(string partial, string image, int sizeGiB, CancellationToken ct)
    {
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write))
        {
            file.SetLength(sizeGiB * GiB);
        }
        // -m 0: no blocks reserved for root (a container has no CAP_SYS_RESOURCE to use them); nodiscard: nothing to discard.
        await RunAsync(MkfsExt4, ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", partial], ct).ConfigureAwait(false);
        File.Move(partial, image, overwrite: true);
    }

    /// <summary>Unmounts and deletes the task's filesystem; whatever part of it exists.</summary>
    public void Release(string taskId)
    {
        var mountPoint = MountPointOf(taskId);
        if (Directory.Exists(mountPoint))
        {
            MountPoints.Unmount(mountPoint);
            // Never recursive: were it still mounted, rmdir fails rather than deleting the task's files one by one.
            Directory.Delete(mountPoint);
        }
        File.Delete(ImageOf(taskId));
        File.Delete(Path.Combine(directory, taskId + PartialSuffix));
    }

    /// <summary>The tasks that have anything here.</summary>
    public IReadOnlySet<string> TaskIds()
    {
        if (!Directory.Exists(directory))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        return Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName)
            .Select(name => name!.EndsWith(PartialSuffix, StringComparison.Ordinal) ? name[..^PartialSuffix.Length]
                : name.EndsWith(ImageSuffix, StringComparison.Ordinal) ? name[..^ImageSuffix.Length] : name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static async Task RunAsync(string executable, string[] arguments, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(executable, arguments, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SandboxException(string.Create(CultureInfo.InvariantCulture,
                $"ResourceInitializationError: failed to create the task's ephemeral storage: {Path.GetFileName(executable)} exited with {result.ExitCode}: {result.StandardError.Trim()}"));
        }
    }
}
