using Gantry.Agent.Engine;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Networking;

/// <summary>One container port a task publishes on its node.</summary>
/// <param name="Protocol">tcp or udp.</param>
/// <param name="HostPort">The node port; 0 = a free one (bridge mode without a hostPort).</param>
/// <param name="Relayed">A relay on the node's publish address forwards the port to the task's own address; otherwise (host
/// mode) the container binds it itself on every address.</param>
public sealed record PublishedPortPlan(string Protocol, int ContainerPort, int HostPort, bool Relayed);

/// <summary>
/// Which container ports a task publishes on its node, per network mode (pure: the runner opens the relays):
/// <list type="bullet">
/// <item><c>bridge</c>: tcp mappings, relayed from their hostPort (0 = a free port) to the task's address;</item>
/// <item><c>host</c>: tcp mappings, bound by the container itself (hostPort = containerPort);</item>
/// <item><c>awsvpc</c> with <c>assignPublicIp ENABLED</c>: tcp and udp mappings, relayed from the same port (Fargate's
/// hostPort is its containerPort) to the task's address — what a public IP on the task's interface gives in ECS;</item>
/// <item>anything else (<c>awsvpc</c> without a public IP, <c>none</c>): nothing; the task is reached at its own address.</item>
/// </list>
/// </summary>
public static class PortPublishing
{
    public static IReadOnlyList<PublishedPortPlan> Plan(AgentTask task, ContainerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(definition);
        var mappings = (definition.PortMappings ?? []).Where(m => m.ContainerPort is > 0).ToList();
        switch (task.Definition.NetworkMode ?? NetworkModeValues.bridge)
        {
            case NetworkModeValues.bridge when task.PrivateIp is not null:
                return [.. mappings.Where(IsTcp).Select(m => new PublishedPortPlan("tcp", m.ContainerPort!.Value, m.HostPort ?? 0, Relayed: true))];
            case NetworkModeValues.host:
                return [.. mappings.Where(IsTcp).Select(m => new PublishedPortPlan("tcp", m.ContainerPort!.Value, m.HostPort ?? m.ContainerPort!.Value, Relayed: false))];
            case NetworkModeValues.awsvpc when task.PrivateIp is not null && task.Launch?.AssignPublicIp == true:
                return [.. mappings.Select(m => new PublishedPortPlan(m.Protocol ?? "tcp", m.ContainerPort!.Value, m.ContainerPort!.Value, Relayed: true))];
            default:
                return [];
        }
    }

    /// <summary>Whether the task's recorded bindings are relays the agent opens (and re-opens for an adopted container).</summary>
    public static bool Relays(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.PrivateIp is not null && (task.Definition.NetworkMode ?? NetworkModeValues.bridge) switch
        {
            NetworkModeValues.bridge => true,
            NetworkModeValues.awsvpc => task.Launch?.AssignPublicIp == true,
            _ => false,
        };
    }

    private static bool IsTcp(PortMapping mapping) => mapping.Protocol is null or "tcp";
}
