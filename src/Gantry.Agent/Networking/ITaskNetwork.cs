using System.Net;

namespace Gantry.Agent.Networking;

/// <summary>What a task runner needs of the node's networking: a task's network namespace and its published host ports.</summary>
public interface ITaskNetwork
{
    /// <summary>
    /// Creates the task's network (idempotent); returns its address, or null when the mode gives it none. An awsvpc task
    /// whose interface the control plane allocated (<paramref name="eni"/>) gets that address; others one of the node's.
    /// </summary>
    Task<IPAddress?> EnsureAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct);

    /// <summary>
    /// Replaces the firewall of an awsvpc task's namespace with <paramref name="policy"/> (its security groups); a failure
    /// is a <see cref="Runtime.Spec.CannotStartContainerException"/>.
    /// </summary>
    Task ApplyFirewallAsync(string taskId, TaskFirewallPolicy policy, CancellationToken ct);

    /// <summary>Removes the task's network and frees its address (and the node's route to <paramref name="eni"/>).</summary>
    Task RemoveAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct);

    /// <summary>The node address published ports listen on (ECS's 0.0.0.0 by default; loopback in <c>gantry dev</c> and tests).</summary>
    IPAddress PublishAddress { get; }

    /// <summary>
    /// Relays <paramref name="hostPort"/> (0 = a free port) of <see cref="PublishAddress"/> to <paramref name="target"/> until
    /// disposed, for <paramref name="protocol"/> tcp or udp. A port already taken on the node is a <see cref="System.Net.Sockets.SocketException"/>.
    /// </summary>
    IPublishedPort Publish(string protocol, int hostPort, IPEndPoint target);
}
