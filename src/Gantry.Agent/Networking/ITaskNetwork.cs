using System.Net;

namespace Gantry.Agent.Networking;

/// <summary>What a task runner needs of the node's networking: a task's network namespace and its published host ports.</summary>
public interface ITaskNetwork
{
    /// <summary>Creates the task's network (idempotent); returns its address, or null when the mode gives it none.</summary>
    Task<IPAddress?> EnsureAsync(string? networkMode, string taskId, CancellationToken ct);

    /// <summary>Removes the task's network and frees its address.</summary>
    Task RemoveAsync(string? networkMode, string taskId, CancellationToken ct);

    /// <summary>Relays the node's loopback <paramref name="hostPort"/> (0 = a free port) to <paramref name="target"/> until disposed.</summary>
    IPublishedPort Publish(int hostPort, IPEndPoint target);
}
