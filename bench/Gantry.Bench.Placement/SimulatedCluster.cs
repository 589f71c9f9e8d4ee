using System.Globalization;
using Gantry.Scheduling;

namespace Gantry.Bench.Placement;

/// <summary>
/// A cluster as the simulator builds one: instances of 4 vCPU / 16 GiB in three zones, each already running ten tasks
/// (50,000 at 5,000 instances) of 200 services, so resources left differ and spread has history to count.
/// </summary>
internal static class SimulatedCluster
{
    public const int TasksPerInstance = 10;

    public static Candidate[] Build(int instances, int seed)
    {
        var random = new Random(seed);
        var cluster = new Candidate[instances];
        for (int i = 0; i < instances; i++)
        {
            string id = i.ToString("x8", CultureInfo.InvariantCulture);
            var tasks = new PlacedTask[TasksPerInstance];
            for (int t = 0; t < tasks.Length; t++)
            {
                tasks[t] = new PlacedTask($"{id}-{t}", $"service:svc-{random.Next(200)}", "app", TaskDefinitionArn: null);
            }

            cluster[i] = new Candidate(id, $"arn:aws:ecs:us-east-1:000000000000:container-instance/bench/{id}", $"i-{id}",
                Active: true, Connected: true,
                RemainingCpu: 4096 - (128 * TasksPerInstance) - (128 * random.Next(8)),
                RemainingMemory: 16384 - (512 * TasksPerInstance) - (512 * random.Next(16)),
                UsedTcpPorts: new HashSet<int> { 22, 2375, 2376, 51678, 51679, 51680 },
                Attributes: new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["ecs.availability-zone"] = $"us-east-1{(char)('a' + (i % 3))}",
                    ["ecs.instance-type"] = "m5.xlarge",
                    ["ecs.os-type"] = "linux",
                    ["ecs.cpu-architecture"] = "x86_64",
                    ["com.amazonaws.ecs.capability.logging-driver.awslogs"] = null,
                },
                Tasks: tasks);
        }

        return cluster;
    }
}
