using System.Text.Json;
using Gantry.Api.State;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>RegisterContainerInstance, DescribeContainerInstances, ListContainerInstances, DeregisterContainerInstance, UpdateContainerInstancesState.</summary>
public sealed class ContainerInstanceOperations(Documents documents, ContainerInstanceRegistry registry, EcsArns arns)
{
    private static readonly string[] SettableStatuses = ["ACTIVE", "DRAINING"];

    public async Task<RegisterContainerInstanceResponse> RegisterAsync(RegisterContainerInstanceRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        string? instanceId = null;
        try
        {
            using var identity = JsonDocument.Parse(request.InstanceIdentityDocument ?? "{}");
            instanceId = identity.RootElement.TryGetProperty("instanceId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            throw EcsErrors.InvalidParameter("instanceIdentityDocument must be a JSON document.");
        }
        int Integer(string name) => request.TotalResources?.FirstOrDefault(r => r.Name == name)?.IntegerValue
            ?? throw EcsErrors.InvalidParameter($"totalResources must include {name}.");
        var ports = request.TotalResources?.FirstOrDefault(r => r.Name == "PORTS")?.StringSetValue ?? [];
        if ((request.Attributes ?? []).Any(a => string.IsNullOrEmpty(a.Name)))
        {
            throw EcsErrors.InvalidParameter("Every attribute needs a name.");
        }
        var instance = await registry.RegisterAsync(new NodeRegistration(cluster, instanceId ?? $"i-{Guid.NewGuid():N}"[..19], Integer("CPU"), Integer("MEMORY"),
            [.. ports.Select(Port)],
            [.. (request.Attributes ?? []).Select(a => new KeyValuePair<string, string>(a.Name!, a.Value ?? ""))],
            request.VersionInfo?.AgentVersion ?? "", request.VersionInfo?.AgentHash ?? ""), ct).ConfigureAwait(false);
        return new RegisterContainerInstanceResponse { ContainerInstance = instance };
    }

    private static int Port(string port) =>
        int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 65535
            ? number
            : throw EcsErrors.InvalidParameter($"totalResources PORTS value '{port}' is not a port number (0-65535).");

    public async Task<DescribeContainerInstancesResponse> DescribeAsync(DescribeContainerInstancesRequest request, CancellationToken ct)
    {
        var cluster = await ActiveClusterAsync(request.Cluster, ct).ConfigureAwait(false);
        if (request.ContainerInstances is not { Count: > 0 and <= 100 } references)
        {
            throw EcsErrors.InvalidParameter("containerInstances must have between 1 and 100 items.");
        }
        var found = new List<ContainerInstance>();
        var failures = new List<Failure>();
        foreach (var reference in references)
        {
            var instance = await registry.FindAsync(cluster, reference, ct).ConfigureAwait(false);
            if (instance is null)
            {
                failures.Add(new Failure { Arn = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : arns.ContainerInstance(cluster, reference), Reason = "MISSING" });
                continue;
            }
            found.Add(Shape(instance.Value, request.Include));
        }
        return new DescribeContainerInstancesResponse { ContainerInstances = found, Failures = failures };
    }

    public async Task<ListContainerInstancesResponse> ListAsync(ListContainerInstancesRequest request, CancellationToken ct)
    {
        var cluster = await ActiveClusterAsync(request.Cluster, ct).ConfigureAwait(false);
        if (request.Status is { } status && !ContainerInstanceStatusValues.All.Contains(status))
        {
            throw EcsErrors.InvalidParameter($"status must be one of {string.Join(", ", ContainerInstanceStatusValues.All)}.");
        }
        var filter = request.Filter is null ? null : ContainerInstanceFilter.Parse(request.Filter);
        var limit = PageToken.Limit(request.MaxResults);
        var (items, next) = await documents.PageAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(cluster), PageToken.Decode(request.NextToken),
            limit, descending: false, i => (request.Status is null ? i.Status != "INACTIVE" : i.Status == request.Status) && (filter?.Matches(i) ?? true), ct).ConfigureAwait(false);
        return new ListContainerInstancesResponse
        {
            ContainerInstanceArns = [.. items.Select(i => i.ContainerInstanceArn!)],
            NextToken = next is null ? null : PageToken.Encode(next),
        };
    }

    public async Task<DeregisterContainerInstanceResponse> DeregisterAsync(DeregisterContainerInstanceRequest request, CancellationToken ct)
    {
        var cluster = await ActiveClusterAsync(request.Cluster, ct).ConfigureAwait(false);
        var reference = request.ContainerInstance ?? throw EcsErrors.InvalidParameter("containerInstance must be specified.");
        for (var attempt = 1; ; attempt++)
        {
            var instance = await registry.FindAsync(cluster, reference, ct).ConfigureAwait(false);
            if (instance is null || instance.Value.Status == "INACTIVE")
            {
                throw EcsErrors.InvalidParameter($"Container instance '{reference}' not found in cluster '{cluster}'.");
            }
            if ((instance.Value.RunningTasksCount ?? 0) + (instance.Value.PendingTasksCount ?? 0) > 0 && request.Force != true)
            {
                throw EcsErrors.InvalidParameter("Found running tasks on the instance. Use force to deregister it anyway.");
            }
            var inactive = instance.Value with { Status = "INACTIVE", AgentConnected = false, Version = instance.Value.Version + 1 };
            try
            {
                await documents.Store.CommitAsync(
                [
                    documents.Put(Kinds.ContainerInstance, Kinds.InCluster(cluster, EcsArns.ContainerInstanceId(reference)), inactive, instance.Version),
                ], ct).ConfigureAwait(false);
                return new DeregisterContainerInstanceResponse { ContainerInstance = Shape(inactive, null) };
            }
            catch (ConcurrencyConflictException) when (attempt < 8)
            {
            }
        }
    }

    public async Task<UpdateContainerInstancesStateResponse> UpdateStateAsync(UpdateContainerInstancesStateRequest request, CancellationToken ct)
    {
        var cluster = await ActiveClusterAsync(request.Cluster, ct).ConfigureAwait(false);
        if (request.Status is not { } status || !SettableStatuses.Contains(status))
        {
            throw EcsErrors.InvalidParameter("status must be ACTIVE or DRAINING.");
        }
        if (request.ContainerInstances is not { Count: > 0 and <= 10 } references)
        {
            throw EcsErrors.InvalidParameter("containerInstances must have between 1 and 10 items.");
        }
        var updated = new List<ContainerInstance>();
        var failures = new List<Failure>();
        foreach (var reference in references)
        {
            var key = Kinds.InCluster(cluster, EcsArns.ContainerInstanceId(reference));
            if (await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, key, ct).ConfigureAwait(false) is not { Value.Status: "ACTIVE" or "DRAINING" })
            {
                failures.Add(new Failure { Arn = reference, Reason = "MISSING" });
                continue;
            }
            var changed = await documents.UpdateAsync<ContainerInstance>(Kinds.ContainerInstance, key,
                current => current!.Status == status ? current : current with { Status = status, Version = current.Version + 1 }, ct).ConfigureAwait(false);
            updated.Add(Shape(changed, null));
        }
        return new UpdateContainerInstancesStateResponse { ContainerInstances = updated, Failures = failures };
    }

    private static ContainerInstance Shape(ContainerInstance instance, IReadOnlyList<string>? include) => instance with
    {
        Tags = include?.Contains("TAGS") == true ? instance.Tags ?? [] : null,
        HealthStatus = include?.Contains("CONTAINER_INSTANCE_HEALTH") == true ? new ContainerInstanceHealthStatus { OverallStatus = "OK" } : null,
    };

    private async Task<string> ActiveClusterAsync(string? reference, CancellationToken ct)
    {
        var name = arns.ClusterOf(reference);
        return await documents.GetAsync<Cluster>(Kinds.Cluster, name, ct).ConfigureAwait(false) is { Value.Status: "ACTIVE" } ? name : throw EcsErrors.ClusterNotFound();
    }
}
