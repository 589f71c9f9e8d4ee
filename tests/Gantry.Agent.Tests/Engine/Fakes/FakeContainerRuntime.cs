using System.Collections.Concurrent;
using Gantry.Agent.Runtime;
using Gantry.Agent.Runtime.Conmon;

namespace Gantry.Agent.Tests.Engine.Fakes;

/// <summary>
/// A runtime without runc: records each call by container name; a started container runs until it is stopped
/// (it then exits with 143, as after SIGTERM). No container is known to it unless started through it.
/// </summary>
public sealed class FakeContainerRuntime(NodeCalls calls, string root, TimeProvider time) : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ContainerExit>> _exits = new(StringComparer.Ordinal);

    /// <summary>How long each stopped container (by name) was given between its stop signal and SIGKILL.</summary>
    public ConcurrentDictionary<string, TimeSpan> StopTimeouts { get; } = new(StringComparer.Ordinal);

    public Task<bool> ExistsAsync(string id, CancellationToken ct)
    {
        calls.Add($"exists {NodeCalls.NameOf(id)}");
        return Task.FromResult(_exits.ContainsKey(id));
    }

    public ContainerPaths MountRootfs(string id, IReadOnlyList<string> layers, string? writable = null)
    {
        calls.Add($"mount {NodeCalls.NameOf(id)}");
        return new ContainerPaths(Path.Combine(root, "containers", id), Path.Combine(root, "logs", id + ".log"), writable);
    }

    public Task StartAsync(string id, byte[] configJson, CancellationToken ct)
    {
        calls.Add($"start {NodeCalls.NameOf(id)}");
        ExitOf(id);
        return Task.CompletedTask;
    }

    public Task<ContainerExit> WaitForExitAsync(string id, CancellationToken ct)
    {
        calls.Add($"watch {NodeCalls.NameOf(id)}");
        return ExitOf(id).Task.WaitAsync(ct);
    }

    public Task<ProcessResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken ct)
    {
        calls.Add($"exec {NodeCalls.NameOf(id)}");
        return Task.FromResult(new ProcessResult(0, "", ""));
    }

    public Task<ContainerExit> StopAsync(string id, string signal, TimeSpan timeout, CancellationToken ct)
    {
        calls.Add($"stop {NodeCalls.NameOf(id)} {signal}");
        StopTimeouts[NodeCalls.NameOf(id)] = timeout;
        var exit = ExitOf(id);
        exit.TrySetResult(new ContainerExit(143, false, time.GetUtcNow()));
        return exit.Task;
    }

    public Task DestroyAsync(string id, CancellationToken ct)
    {
        calls.Add($"destroy {NodeCalls.NameOf(id)}");
        _exits.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    private TaskCompletionSource<ContainerExit> ExitOf(string id) =>
        _exits.GetOrAdd(id, _ => new TaskCompletionSource<ContainerExit>(TaskCreationOptions.RunContinuationsAsynchronously));
}
