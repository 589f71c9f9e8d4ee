using System.Net;

namespace Gantry.Agent.Networking;

/// <summary>
/// Task IP addresses from the node's bridge subnet (a /16; .0.1 is the bridge). An address is taken by creating
/// <c>&lt;state&gt;/ipam/&lt;address&gt;</c> exclusively (holding the task id), so allocations survive agent restarts.
/// </summary>
public sealed class AddressPool
{
    private readonly string _directory;
    private readonly byte[] _prefix;
    private readonly Lock _gate = new(); // tasks start and stop concurrently: one allocation change at a time

    public AddressPool(string stateDirectory, IPAddress bridgeAddress)
    {
        ArgumentNullException.ThrowIfNull(bridgeAddress);
        _directory = Path.Combine(stateDirectory, "ipam");
        Directory.CreateDirectory(_directory);
        _prefix = bridgeAddress.GetAddressBytes()[..2];
    }

    /// <summary>The address held by <paramref name="taskId"/>, allocating one the first time.</summary>
    public IPAddress Acquire(string taskId)
    {
        lock (_gate)
        {
            return AcquireLocked(taskId);
        }
    }

    private IPAddress AcquireLocked(string taskId)
    {
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            if (Holder(file) == taskId)
            {
                return IPAddress.Parse(Path.GetFileName(file));
            }
        }
        for (var i = 2; i < 65534; i++)
        {
            var address = new IPAddress([_prefix[0], _prefix[1], (byte)(i >> 8), (byte)(i & 0xff)]);
            try
            {
                using var file = new FileStream(Path.Combine(_directory, address.ToString()), FileMode.CreateNew, FileAccess.Write);
                file.Write(System.Text.Encoding.UTF8.GetBytes(taskId));
                return address;
            }
            catch (IOException) when (File.Exists(Path.Combine(_directory, address.ToString())))
            {
                // Taken: try the next one.
            }
        }
        throw new InvalidOperationException("the node's task address pool is exhausted");
    }

    public void Release(string taskId)
    {
        lock (_gate)
        {
            foreach (var file in Directory.EnumerateFiles(_directory).Where(f => Holder(f) == taskId))
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
