using System.Globalization;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// DescribeClusters <c>include=STATISTICS</c>: the cluster's task and service counts by launch type, as name/value pairs
/// with string values, in ECS's order. Tasks count as the cluster's runningTasksCount/pendingTasksCount do
/// (<see cref="TaskRecord.Counted"/>), by their launchType; services by status (ACTIVE, DRAINING) and by their launchType,
/// or for a strategy by its providers (FARGATE/FARGATE_SPOT → Fargate, node groups → EC2).
/// </summary>
public static class ClusterStatistics
{
    private static readonly string[] LaunchTypes = [LaunchTypeValues.EC2, LaunchTypeValues.FARGATE, LaunchTypeValues.EXTERNAL];

    public static async Task<List<Gantry.Domain.Ecs.KeyValuePair>> CountAsync(Documents documents, ClusterCounts tasks, string cluster, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(tasks);
        var services = await documents.ListAllAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster), ct).ConfigureAwait(false);
        int Tasks(string counted, string launchType) => tasks.Of(counted, launchType);
        int Services(string status, string launchType) =>
            services.Count(s => s.Value.Service.Status == status && LaunchTypeOf(s.Value.Service) == launchType);
        var counts = new (string Name, int Value)[]
        {
            ("runningEC2TasksCount", Tasks(TaskCounter.Running, LaunchTypes[0])),
            ("runningFargateTasksCount", Tasks(TaskCounter.Running, LaunchTypes[1])),
            ("pendingEC2TasksCount", Tasks(TaskCounter.Pending, LaunchTypes[0])),
            ("pendingFargateTasksCount", Tasks(TaskCounter.Pending, LaunchTypes[1])),
            ("runningExternalTasksCount", Tasks(TaskCounter.Running, LaunchTypes[2])),
            ("pendingExternalTasksCount", Tasks(TaskCounter.Pending, LaunchTypes[2])),
            ("activeEC2ServiceCount", Services("ACTIVE", LaunchTypes[0])),
            ("activeFargateServiceCount", Services("ACTIVE", LaunchTypes[1])),
            ("drainingEC2ServiceCount", Services("DRAINING", LaunchTypes[0])),
            ("drainingFargateServiceCount", Services("DRAINING", LaunchTypes[1])),
            ("activeExternalServiceCount", Services("ACTIVE", LaunchTypes[2])),
            ("drainingExternalServiceCount", Services("DRAINING", LaunchTypes[2])),
        };
        return [.. counts.Select(c => new Gantry.Domain.Ecs.KeyValuePair { Name = c.Name, Value = c.Value.ToString(CultureInfo.InvariantCulture) })];
    }

    private static string LaunchTypeOf(Service service) =>
        service.LaunchType
        ?? (service.CapacityProviderStrategy is { Count: > 0 } strategy ? FargatePool.LaunchTypeOf(strategy[0].CapacityProvider!) : LaunchTypeValues.EC2);
}
