using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.Agent.Engine;
using Gantry.Agent.Networking;
using Gantry.Domain.Tasks;
using Microsoft.AspNetCore.Http;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>The five v4 documents a container may ask for.</summary>
public enum MetadataRoute
{
    Container,
    Task,
    TaskWithTags,
    ContainerStats,
    TaskStats,
}

/// <summary>
/// Answers v4 requests: finds the container whose endpoint id the path carries and checks the caller may see it — a task
/// with its own address only from that address; a task on the node's network (host) only from outside the bridge subnet,
/// so no task can read another's metadata even with its id. Anything else is ECS's 404 with a JSON string body.
/// </summary>
/// <param name="tasks">The node's tasks (the engine's current view).</param>
/// <param name="storage">The writable storage a task uses and may use (Fargate's EphemeralStorageMetrics).</param>
public sealed class MetadataService(Func<IReadOnlyList<AgentTask>> tasks, NodeFacts node, StatsSampler stats, Func<AgentTask, EphemeralStorageMetadata> storage, TimeProvider time)
{
    public static JsonSerializerOptions Json { get; } = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public IResult Handle(string? id, MetadataRoute route, IPAddress? remote)
    {
        if (Find(id, remote) is not { } found)
        {
            return Results.Json(NotFound(route, id ?? ""), Json, statusCode: StatusCodes.Status404NotFound);
        }
        var (task, container) = found;
        object document = route switch
        {
            MetadataRoute.Container => MetadataDocuments.Container(task, container, node),
            MetadataRoute.Task or MetadataRoute.TaskWithTags => MetadataDocuments.Task(task, node,
                task.Launch?.IsFargate == true ? NodeClock.Read(time) : null, task.Launch?.IsFargate == true ? storage(task) : null, route == MetadataRoute.TaskWithTags),
            MetadataRoute.ContainerStats => (object?)Stats(task, container) ?? $"Unable to get container stats for: {MetadataDocuments.DockerId(task, container)}",
            _ => TaskStats(task),
        };
        return document is string failure
            ? Results.Json(failure, Json, statusCode: StatusCodes.Status500InternalServerError)
            : Results.Json(document, Json);
    }

    /// <summary>ECS's wording for an endpoint id it cannot serve (the container and task handlers name different lookups).</summary>
    public static string NotFound(MetadataRoute route, string id) => route switch
    {
        MetadataRoute.Container => $"V4 container metadata handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: {id}",
        MetadataRoute.Task or MetadataRoute.TaskWithTags => $"V4 task metadata handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: {id}",
        MetadataRoute.ContainerStats => $"V4 container stats handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: {id}",
        _ => $"V4 task stats handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: {id}",
    };

    private (AgentTask Task, AgentContainer Container)? Find(string? id, IPAddress? remote)
    {
        if (string.IsNullOrEmpty(id) || remote is null)
        {
            return null;
        }
        foreach (var task in tasks())
        {
            foreach (var container in task.Containers)
            {
                if (container.MetadataId is { } known && string.Equals(known, id, StringComparison.Ordinal))
                {
                    return MayRead(task, remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote) ? (task, container) : null;
                }
            }
        }
        return null;
    }

    private bool MayRead(AgentTask task, IPAddress remote) =>
        task.PrivateIp is { } own ? IPAddress.TryParse(own, out var address) && address.Equals(remote) : !node.Subnet.Contains(remote) || remote.Equals(node.Gateway);

    private ContainerStats? Stats(AgentTask task, AgentContainer container)
    {
        if (!container.Created || container.LastStatus == ContainerStatus.Stopped || stats.Get(container.RuntimeId, OwnNetwork(task)) is not { } sample)
        {
            return null;
        }
        var (latest, previous) = sample;
        var document = MetadataDocuments.Container(task, container, node);
        return latest.ToDocker(previous, document.DockerName, document.DockerId);
    }

    private Dictionary<string, ContainerStats> TaskStats(AgentTask task)
    {
        var all = new Dictionary<string, ContainerStats>(StringComparer.Ordinal);
        foreach (var container in task.Containers)
        {
            if (Stats(task, container) is { } containerStats)
            {
                all[containerStats.Id] = containerStats;
            }
        }
        return all;
    }

    /// <summary>Whether the task's containers have a network namespace of their own (every mode but host).</summary>
    public static bool OwnNetwork(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return TaskNetwork.For(task.Definition.NetworkMode, task.Id).Path is not null;
    }
}
