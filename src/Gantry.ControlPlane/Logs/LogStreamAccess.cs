using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.Nodes;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Logs;
using Gantry.Store;
using Grpc.Core;

namespace Gantry.ControlPlane.Logs;

/// <summary>
/// Which log streams a node may open and append to: those of the containers of its own tasks, exactly as their
/// definitions' awslogs options name them (group, and stream from awslogs-stream or the prefix), creating the
/// group only when awslogs-create-group is true. Derived from the stored task, never taken from the agent's word.
/// </summary>
public sealed class LogStreamAccess(Documents documents)
{
    public async Task AuthorizeAsync(NodeRecord node, LogStreamRef stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(stream);
        // A cluster node runs its cluster's tasks; a Fargate pool node runs any cluster's Fargate tasks.
        var record = EcsArn.TryParseTask(stream.TaskArn, out var cluster, out var taskId)
            && (cluster == node.Cluster || node.Capacity is not null)
            ? (await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, taskId), ct).ConfigureAwait(false))?.Value
            : null;
        if (record is null || record.Task.TaskArn != stream.TaskArn)
        {
            throw Denied(node, stream, "no such task in the node's cluster or pool");
        }
        if (record.InstanceCluster != node.Cluster && record.Pool != (node.Capacity is { } pool ? FargatePool.Of(pool) : null))
        {
            throw Denied(node, stream, "the task runs on another node");
        }
        var instance = await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(record.InstanceCluster, record.InstanceId), ct)
            .ConfigureAwait(false);
        if (instance?.Value.Ec2InstanceId != node.InstanceId)
        {
            throw Denied(node, stream, "the task runs on another instance");
        }
        var container = record.Definition.ContainerDefinitions?.FirstOrDefault(c => c.Name == stream.ContainerName);
        if (container?.LogConfiguration is not { LogDriver: "awslogs" } log)
        {
            throw Denied(node, stream, "the task has no such container with the awslogs driver");
        }
        var options = log.Options ?? new Dictionary<string, string>();
        var group = Option(options, "awslogs-group");
        var name = AwslogsNaming.Name(Option(options, "awslogs-stream"), Option(options, "awslogs-stream-prefix"), container.Name!, record.Id);
        if (group != stream.Group || name != stream.Stream)
        {
            throw Denied(node, stream, $"the container logs to {group}/{name}");
        }
        if (stream.CreateGroup && !string.Equals(Option(options, "awslogs-create-group"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw Denied(node, stream, "the container's awslogs-create-group is not true");
        }
    }

    /// <summary>Docker treats an empty option as an absent one.</summary>
    private static string? Option(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static RpcException Denied(NodeRecord node, LogStreamRef stream, string why) => new(new Status(StatusCode.PermissionDenied,
        $"node {node.NodeId} may not write {stream.Group}/{stream.Stream} for container '{stream.ContainerName}' of task {stream.TaskArn}: {why}"));
}
