using System.Globalization;
using System.Runtime.InteropServices;
using Gantry.Domain.TaskDefinitions;

namespace Gantry.Agent.Connection;

/// <summary>What this node is: a stable instance id, its resources in ECS units, and its ECS attributes.</summary>
public static class NodeIdentity
{
    public const string AgentVersion = "1.0.0";
    private static readonly string[] TcpTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>The node's instance id, created once and kept in the state directory (an EC2-style <c>i-</c> id).</summary>
    public static string InstanceId(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "instance-id");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(stateDirectory);
        var id = "i-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) + "0";
        File.WriteAllText(path, id);
        return id;
    }

    /// <summary>
    /// Ports the node itself uses and tasks must not take: what listens on TCP right now (from /proc/net/tcp and
    /// tcp6), plus the ports the ECS agent always reserves (22, 2375, 2376, 51678, 51679).
    /// </summary>
    public static IReadOnlyList<int> PortsInUse()
    {
        var ports = new SortedSet<int> { 22, 2375, 2376, 51678, 51679 };
        foreach (var table in TcpTables.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "0A") // LISTEN
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        return [.. ports];
    }

    /// <summary>1024 CPU units per core, as ECS counts them.</summary>
    public static int CpuUnits => Environment.ProcessorCount * 1024;

    public static int MemoryMib(int reserveMib)
    {
        var total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (int)Math.Max(0, (kib / 1024) - reserveMib);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Attributes(string? availabilityZone, IReadOnlyList<KeyValuePair<string, string>> custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        var attributes = new List<KeyValuePair<string, string>>
        {
            new("ecs.os-type", "linux"),
            new("ecs.cpu-architecture", RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x86_64"),
        };
        // Capabilities this agent really has (task definitions require them through requiresAttributes).
        attributes.AddRange(AgentCapabilities.All.Select(name => new KeyValuePair<string, string>(name, "")));
        if (!string.IsNullOrEmpty(availabilityZone))
        {
            attributes.Add(new("ecs.availability-zone", availabilityZone));
        }
        attributes.AddRange(custom);
        return attributes;
    }
}
