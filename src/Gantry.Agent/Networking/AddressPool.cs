using System.Net;

namespace Gantry.Agent.Networking;

/// <summary>
/// Task IP addresses from the node's bridge subnet (a /16; .0.1 is the bridge). An address is taken by creating
/// <c>&lt;directory&gt;/&lt;address&gt;</c> exclusively (holding the task id), so allocations survive agent restarts.
/// The directory belongs to the bridge, not to an agent (<see cref="DirectoryFor"/>, as CNI's host-local IPAM keeps
/// <c>/var/lib/cni/networks/&lt;network&gt;</c>): two agents on one host sharing a bridge (two <c>gantry dev</c>, or a
/// node agent and a Fargate pool agent) never hand out one address twice. An address whose task namespace is gone
/// (its agent died without stopping it) is taken back once it is older than <see cref="StaleAfter"/>.
/// </summary>
public sealed class AddressPool
{
    /// <summary>How long an address may be held before its task's namespace exists (acquiring precedes creating it).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private const string LockFile = ".lock";

    private readonly string _directory;
    private readonly byte[] _prefix;
    private readonly Func<string, bool> _namespaceExists;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new(); // tasks start and stop concurrently: one allocation change at a time in this process

    /// <param name="namespaceExists">Whether a task's network namespace exists (default: its file under /run/netns).</param>
    public AddressPool(string directory, IPAddress bridgeAddress, TimeProvider time, Func<string, bool>? namespaceExists = null)
    {
        ArgumentNullException.ThrowIfNull(bridgeAddress);
        _directory = directory;
        Directory.CreateDirectory(_directory);
        _prefix = bridgeAddress.GetAddressBytes()[..2];
        _time = time;
        _namespaceExists = namespaceExists ?? (taskId => File.Exists(TaskNetwork.NamespacePath(taskId)));
    }

    /// <summary>The host-wide allocation directory of a bridge: /run, so it goes with the bridge and namespaces at reboot.</summary>
    public static string DirectoryFor(string bridgeName) => Path.Combine("/run/gantry/ipam", bridgeName);

    /// <summary>Moves the allocations an older agent kept in its state directory into <paramref name="directory"/>.</summary>
    public static void Adopt(string legacyDirectory, string directory)
    {
        if (!Directory.Exists(legacyDirectory))
        {
            return;
        }
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(legacyDirectory))
        {
            var target = Path.Combine(directory, Path.GetFileName(file));
            if (!File.Exists(target))
            {
                File.Move(file, target);
            }
        }
        Directory.Delete(legacyDirectory, recursive: true);
    }

    /// <summary>The address held by <paramref name="taskId"/>, allocating one the first time.</summary>
    public IPAddress Acquire(string taskId)
    {
        lock (_gate)
        {
            using var pool = LockAcrossProcesses();
            return AcquireLocked(taskId);
        }
    }

    private IPAddress AcquireLocked(string taskId)
    {
        foreach (var file in Addresses())
        {
            if (Holder(file) == taskId)
            {
                return IPAddress.Parse(Path.GetFileName(file));
            }
        }
        for (var i = 2; i < 65534; i++)
        {
            var address = new IPAddress([_prefix[0], _prefix[1], (byte)(i >> 8), (byte)(i & 0xff)]);
            var path = Path.Combine(_directory, address.ToString());
            if (TryTake(path, taskId) || (ReclaimIfStale(path) && TryTake(path, taskId)))
            {
                return address;
            }
        }
        throw new InvalidOperationException("the node's task address pool is exhausted");
    }

    /// <summary>
    /// The pool's lock file, held exclusively (.NET's FileShare.None is an flock on Linux) so that taking back a stale
    /// address in one agent never deletes the one another agent just took.
    /// </summary>
    private FileStream LockAcrossProcesses()
    {
        var path = Path.Combine(_directory, LockFile);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1000)
            {
                Thread.Sleep(10); // another agent is allocating: it holds the lock for a few file operations
            }
        }
    }

    private IEnumerable<string> Addresses() => Directory.EnumerateFiles(_directory).Where(f => Path.GetFileName(f) != LockFile);

    /// <summary>Creates the address file exclusively; false when another task holds it.</summary>
    private static bool TryTake(string path, string taskId)
    {
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(taskId));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Deletes an address file whose task has no namespace and that is older than <see cref="StaleAfter"/>.</summary>
    private bool ReclaimIfStale(string path)
    {
        var holder = Holder(path);
        if (holder is null || _namespaceExists(holder) || _time.GetUtcNow() - File.GetLastWriteTimeUtc(path) < StaleAfter)
        {
            return holder is null;
        }
        File.Delete(path);
        return true;
    }

    public void Release(string taskId)
    {
        lock (_gate)
        {
            using var pool = LockAcrossProcesses();
            foreach (var file in Addresses().Where(f => Holder(f) == taskId))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>The task holding an address file, or null when the file went away meanwhile.</summary>
    private static string? Holder(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
