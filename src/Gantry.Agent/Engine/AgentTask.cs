using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Agent.Engine;

/// <summary>One container of a task as the agent tracks it.</summary>
/// <param name="RuntimeId">The runc container id (unique on the host).</param>
/// <param name="LastStatus">A <see cref="ContainerStatus"/>.</param>
/// <param name="StopSignal">The image's STOPSIGNAL, sent first when the task stops (SIGTERM when unset).</param>
/// <param name="Layers">The image snapshot directories its root filesystem is made of (kept from image garbage collection).</param>
/// <param name="MetadataId">The unguessable id in the container's task metadata endpoint URI (<c>/v4/&lt;id&gt;</c>).</param>
/// <param name="FinishedAt">When the container's exit was recorded.</param>
public sealed record AgentContainer(
    string Name,
    string RuntimeId,
    string LastStatus,
    int? ExitCode = null,
    string? Reason = null,
    bool OomKilled = false,
    string? ImageDigest = null,
    bool Created = false,
    DateTimeOffset? StartedAt = null,
    IReadOnlyList<string>? Layers = null,
    IReadOnlyList<PortBinding>? Bindings = null,
    string? StopSignal = null,
    string? HealthStatus = null,
    string? MetadataId = null,
    DateTimeOffset? FinishedAt = null);

/// <summary>A container port published on the node: <c>BindIp:HostPort</c> reaches <c>ContainerPort</c>.</summary>
public sealed record PortBinding(string BindIp, int ContainerPort, int HostPort, string Protocol);

/// <summary>A task on this node: what to run and how far it got. Persisted, so a restarted agent picks it up.</summary>
/// <param name="Launch">How it was launched; null for a task persisted before the launch type was known (EC2).</param>
public sealed record AgentTask(
    string TaskArn,
    TaskDefinition Definition,
    TaskOverride? Overrides,
    string DesiredStatus,
    string LastStatus,
    IReadOnlyList<AgentContainer> Containers,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PullStartedAt = null,
    DateTimeOffset? PullStoppedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? ExecutionStoppedAt = null,
    string? StopCode = null,
    string? StoppedReason = null,
    RegistryCredentials? Registry = null,
    string? PrivateIp = null,
    TaskLaunch? Launch = null)
{
    /// <summary>The task id: the last segment of the ARN.</summary>
    public string Id => EcsArns.TaskId(TaskArn);

    public AgentContainer Container(string name) => Containers.First(c => c.Name == name);

    public AgentTask With(AgentContainer container) =>
        this with { Containers = [.. Containers.Select(c => c.Name == container.Name ? container : c)] };
}

/// <summary>Credentials the control plane gave for its own registry.</summary>
public sealed record RegistryCredentials(string Host, string User, string Password);
