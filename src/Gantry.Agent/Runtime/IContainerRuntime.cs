using Gantry.Agent.Runtime.Conmon;

namespace Gantry.Agent.Runtime;

/// <summary>
/// What a task runner needs of the node's container runtime (runc under conmon on a real node): containers named by a
/// runtime id that is stable across agent restarts, started once, watched until they exit, stopped and destroyed.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>True when the runtime knows the container: it was prepared, and runc knows it or its exit was recorded.</summary>
    Task<bool> ExistsAsync(string id, CancellationToken ct);

    /// <summary>Prepares the container's directories and mounts its root filesystem over <paramref name="layers"/> (lowest first); idempotent.</summary>
    /// <param name="writable">Where its writable layer goes; null: with the container's other files.</param>
    ContainerPaths MountRootfs(string id, IReadOnlyList<string> layers, string? writable = null);

    /// <summary>Creates the container from its OCI runtime spec and starts it.</summary>
    Task StartAsync(string id, byte[] configJson, CancellationToken ct);

    /// <summary>Waits until the container's exit is recorded.</summary>
    Task<ContainerExit> WaitForExitAsync(string id, CancellationToken ct);

    /// <summary>Runs a command inside a running container (a health check).</summary>
    Task<ProcessResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken ct);

    /// <summary>Stops gracefully: <paramref name="signal"/>, then SIGKILL after <paramref name="timeout"/>.</summary>
    Task<ContainerExit> StopAsync(string id, string signal, TimeSpan timeout, CancellationToken ct);

    /// <summary>Removes the container from the runtime (killing it if needed), unmounts its root filesystem and deletes its files; its log stays.</summary>
    Task DestroyAsync(string id, CancellationToken ct);
}
