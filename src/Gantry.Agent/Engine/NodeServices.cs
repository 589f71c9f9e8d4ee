using Gantry.Agent.Images;
using Gantry.Agent.Logs.Shipping;
using Gantry.Agent.Networking;
using Gantry.Agent.Runtime;
using Gantry.Agent.Sandbox;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Engine;

/// <summary>What every task runner needs from its node; the runtime, images and network are interfaces so a test can fake them.</summary>
/// <param name="Images">Pulls images (the node's <see cref="ImageStore"/>).</param>
/// <param name="Runtime">Runs containers (runc under conmon: <see cref="Runtime.Conmon.ContainerRuntime"/>).</param>
/// <param name="Network">Task namespaces and published ports (<see cref="TaskNetwork"/>).</param>
/// <param name="Logs">The awslogs shippers; null on a node without a control plane to ship to (containers with awslogs then fail to start).</param>
/// <param name="Sandboxes">
/// Task cgroups and ephemeral storage (<see cref="TaskSandboxes"/>); null on a node that cannot isolate tasks, where a task with
/// task-level limits or launch type FARGATE fails to start.
/// </param>
/// <param name="Metadata">The task metadata endpoint's base URI as containers reach it (<c>http://169.254.170.2</c> by default).</param>
/// <param name="Nameserver">The node's DNS relay (bridge address) that tasks with their own namespace resolve through; null: the host's resolvers.</param>
public sealed record NodeServices(IImagePuller Images, IContainerRuntime Runtime, TaskStateFiles Files, ITaskNetwork Network, string DefaultRegistry,
    TimeProvider Time, ILogger Logger, LogShippers? Logs = null, ITaskSandboxes? Sandboxes = null, Uri? Metadata = null, System.Net.IPAddress? Nameserver = null)
{
    /// <summary>The container's <c>ECS_CONTAINER_METADATA_URI_V4</c>.</summary>
    public string MetadataUri(string metadataId) => $"{(Metadata ?? Gantry.Agent.MetadataEndpoint.MetadataIds.DefaultBase).ToString().TrimEnd('/')}/v4/{metadataId}";
}
