using System.Globalization;
using Gantry.Agent.Protocol;
using Gantry.Domain.TaskDefinitions;

namespace Gantry.Simulator;

/// <summary>
/// What one simulated node registers as: an EC2-style instance id unique to this run, the settings' resources, the ECS
/// agent's reserved ports, and the attributes a real Gantry agent sends (os type, architecture, its capabilities)
/// plus the zone (spread round-robin over the settings' zones) and an instance type matching the resources.
/// </summary>
public sealed record NodeProfile(string InstanceId, string AvailabilityZone, string InstanceType)
{
    /// <summary>The ports the ECS agent always reserves on a node.</summary>
    public static IReadOnlyList<int> ReservedPorts { get; } = [22, 2375, 2376, 51678, 51679];

    /// <param name="run">This run's random prefix (8 hex digits), so a new run never collides with an earlier one's instances.</param>
    public static NodeProfile For(SimulatorSettings settings, string run, int index)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var zone = settings.Region + (char)('a' + (index % settings.Zones));
        return new NodeProfile($"i-{run}{index.ToString("x9", CultureInfo.InvariantCulture)}", zone, InstanceTypeOf(settings.CpuUnits, settings.MemoryMib));
    }

    /// <summary>The EC2 instance type of these resources: m5 (4 GiB per vCPU), c5 (2), r5 (8), else t3 (any other ratio); sized by vCPUs.</summary>
    public static string InstanceTypeOf(int cpuUnits, int memoryMib)
    {
        var vcpus = Math.Max(1, cpuUnits / 1024);
        var family = (memoryMib / 1024 / vcpus) switch
        {
            2 => "c5",
            4 => "m5",
            8 => "r5",
            _ => "t3",
        };
        var size = vcpus switch
        {
            1 => "medium",
            2 => "large",
            4 => "xlarge",
            _ => $"{vcpus / 4}xlarge",
        };
        return $"{family}.{size}";
    }

    public Register Registration(SimulatorSettings settings, IEnumerable<TaskState> tasks)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var register = new Register
        {
            Cluster = settings.Cluster,
            InstanceId = InstanceId,
            CpuUnits = settings.CpuUnits,
            MemoryMib = settings.MemoryMib,
            ReservedPorts = { ReservedPorts },
            AgentVersion = AgentVersion,
            PublishAddress = "0.0.0.0",
        };
        register.Attributes.Add(new Agent.Protocol.Attribute { Name = "ecs.os-type", Value = "linux" });
        register.Attributes.Add(new Agent.Protocol.Attribute { Name = "ecs.cpu-architecture", Value = "x86_64" });
        register.Attributes.AddRange(AgentCapabilities.All.Select(name => new Agent.Protocol.Attribute { Name = name, Value = "" }));
        register.Attributes.Add(new Agent.Protocol.Attribute { Name = "ecs.availability-zone", Value = AvailabilityZone });
        register.Attributes.Add(new Agent.Protocol.Attribute { Name = "ecs.instance-type", Value = InstanceType });
        register.Tasks.AddRange(tasks);
        return register;
    }

    /// <summary>The version the real agent reports (Gantry.Agent's NodeIdentity.AgentVersion).</summary>
    public const string AgentVersion = "1.0.0";
}
