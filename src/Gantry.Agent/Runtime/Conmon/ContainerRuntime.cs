using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Runtime.Conmon;

/// <summary>
/// Runs containers with runc under conmon, the way CRI-O and podman do: conmon owns the container's stdio
/// (to a k8s-file log), writes the exit code to a file and an <c>oom</c> marker when the OOM killer struck,
/// and keeps running when the agent dies, so containers outlive the agent and can be re-adopted.
/// Containers live under <c>&lt;root&gt;/containers/&lt;id&gt;</c>, their logs in <c>&lt;root&gt;/logs/&lt;id&gt;.log</c>; runc keeps its
/// own state under <c>&lt;root&gt;/runc</c>.
/// </summary>
public sealed partial class ContainerRuntime : IContainerRuntime
{
    public const string Runc = "/usr/sbin/runc";
    public const string ConmonBinary = "/usr/bin/conmon";
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(30);
    private readonly string _containers;
    private readonly string _logs;
    private readonly string _runcRoot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ContainerRuntime(string root, TimeProvider time, ILogger<ContainerRuntime> logger)
    {
        _containers = Path.Combine(root, "containers");
        _runcRoot = Path.Combine(root, "runc");
        _logs = Path.Combine(root, "logs");
        System.IO.Directory.CreateDirectory(_logs);
        _time = time;
        _logger = logger;
        System.IO.Directory.CreateDirectory(_containers);
        System.IO.Directory.CreateDirectory(_runcRoot);
    }

    /// <summary>runc's state of a container (its init pid and cgroup paths).</summary>
    public string RuncStateFile(string id) => Path.Combine(_runcRoot, id, "state.json");

    public ContainerPaths PathsOf(string id) => new(Path.Combine(_containers, id), Path.Combine(_logs, id + ".log"));

    /// <summary>Creates the bundle directories for <paramref name="id"/> (idempotent) and returns them.</summary>
    public ContainerPaths Prepare(string id)
    {
        var paths = PathsOf(id);
        foreach (var directory in new[] { paths.Bundle, paths.Rootfs, paths.Upper, paths.Work, paths.ExitDirectory, paths.PersistDirectory, paths.SocketDirectory })
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        return paths;
    }

    /// <summary>True when the container was prepared (it has a bundle) and runc knows it or conmon recorded its exit.</summary>
    public async Task<bool> ExistsAsync(string id, CancellationToken ct) =>
        System.IO.Directory.Exists(PathsOf(id).Bundle)
        && (ExitOf(id) is not null || (await StateAsync(id, ct).ConfigureAwait(false)).Status != ContainerStatus.Missing);

    /// <summary>Prepares the container's directories and mounts its overlay root over the image layers (idempotent).</summary>
    /// <param name="writable">Where the overlay's upper and work directories go (one filesystem); null: the container's directory.</param>
    public ContainerPaths MountRootfs(string id, IReadOnlyList<string> layers, string? writable = null)
    {
        var paths = Prepare(id) with { Writable = writable };
        System.IO.Directory.CreateDirectory(paths.Upper);
        System.IO.Directory.CreateDirectory(paths.Work);
        OverlayMount.Mount(layers, paths.Upper, paths.Work, paths.Rootfs);
        return paths;
    }

    /// <summary>Writes config.json, creates the container under conmon and starts it.</summary>
    public async Task StartAsync(string id, byte[] configJson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        var paths = Prepare(id);
        await File.WriteAllBytesAsync(paths.Config, configJson, ct).ConfigureAwait(false);
        File.Delete(paths.PidFile);
        File.Delete(paths.ExitFile(id));
        File.Delete(paths.OomFile);
        // setsid: conmon gets its own session, so neither a signal to the agent's process group nor the
        // agent's death reaches it; conmon then daemonizes and reports through files.
        var launch = await ProcessRunner.RunAsync("/usr/bin/setsid", [ConmonBinary,
            "--api-version", "1", "-c", id, "-u", id, "-n", id,
            "-r", Runc, "--runtime-arg", "--root", "--runtime-arg", _runcRoot,
            "-b", paths.Bundle, "-p", paths.PidFile, "--exit-dir", paths.ExitDirectory,
            "-l", $"k8s-file:{paths.Log}", "--conmon-pidfile", paths.ConmonPidFile,
            "--socket-dir-path", paths.SocketDirectory, "--persist-dir", paths.PersistDirectory,
            "--log-level", "error"], ct).ConfigureAwait(false);
        if (!launch.Succeeded)
        {
            throw new ContainerRuntimeException($"conmon failed for {id}: {launch.StandardError.Trim()}");
        }
        await WaitForCreateAsync(id, paths, ct).ConfigureAwait(false);
        var start = await RuncAsync(ct, "start", id).ConfigureAwait(false);
        if (!start.Succeeded)
        {
            throw new ContainerRuntimeException($"runc start {id}: {start.StandardError.Trim()}");
        }
        LogStarted(_logger, id);
    }

    public async Task<(ContainerStatus Status, int Pid)> StateAsync(string id, CancellationToken ct)
    {
        var result = await RuncAsync(ct, "state", id).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return (ContainerStatus.Missing, 0);
        }
        using var json = JsonDocument.Parse(result.StandardOutput);
        var status = json.RootElement.GetProperty("status").GetString() switch
        {
            "created" => ContainerStatus.Created,
            "running" => ContainerStatus.Running,
            "paused" => ContainerStatus.Paused,
            _ => ContainerStatus.Stopped,
        };
        return (status, json.RootElement.GetProperty("pid").GetInt32());
    }

    /// <summary>The exit conmon recorded, or null while the container runs (or never ran).</summary>
    public ContainerExit? ExitOf(string id)
    {
        var paths = PathsOf(id);
        var file = new FileInfo(paths.ExitFile(id));
        if (!file.Exists)
        {
            return null;
        }
        var text = File.ReadAllText(file.FullName).Trim();
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
        {
            return null; // conmon is still writing it
        }
        return new ContainerExit(code, File.Exists(paths.OomFile), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
    }

    /// <summary>Waits until conmon records the container's exit.</summary>
    public async Task<ContainerExit> WaitForExitAsync(string id, CancellationToken ct)
    {
        var paths = PathsOf(id);
        using var watcher = new FileSystemWatcher(paths.ExitDirectory) { EnableRaisingEvents = true };
        var signal = new SemaphoreSlim(0);
        watcher.Created += (_, _) => signal.Release();
        watcher.Changed += (_, _) => signal.Release();
        while (true)
        {
            if (ExitOf(id) is { } exit)
            {
                return exit;
            }
            // The watcher wakes us promptly; the timeout covers events lost across an agent restart.
            await signal.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command inside a running container's namespaces (its user, cwd and environment).</summary>
    public Task<ProcessResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken ct) =>
        RuncAsync(ct, [.. new[] { "exec", id }, .. command]);

    /// <summary>Sends a signal to the container's init process; false when it is not running.</summary>
    public async Task<bool> SignalAsync(string id, string signal, CancellationToken ct) =>
        (await RuncAsync(ct, "kill", id, signal).ConfigureAwait(false)).Succeeded;

    /// <summary>Stops gracefully: <paramref name="signal"/>, then SIGKILL after <paramref name="timeout"/>.</summary>
    public async Task<ContainerExit> StopAsync(string id, string signal, TimeSpan timeout, CancellationToken ct)
    {
        if (ExitOf(id) is { } already)
        {
            return already;
        }
        await SignalAsync(id, signal, ct).ConfigureAwait(false);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
        grace.CancelAfter(timeout);
        try
        {
            return await WaitForExitAsync(id, grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await SignalAsync(id, "SIGKILL", ct).ConfigureAwait(false);
            return await WaitForExitAsync(id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the container from runc (killing it if needed); its files stay until <see cref="Remove"/>.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var result = await RuncAsync(ct, "delete", "--force", id).ConfigureAwait(false);
        if (!result.Succeeded && !result.StandardError.Contains("does not exist", StringComparison.Ordinal))
        {
            throw new ContainerRuntimeException($"runc delete {id}: {result.StandardError.Trim()}");
        }
    }

    /// <summary><see cref="DeleteAsync"/>, unmount the overlay root, <see cref="Remove"/>: nothing of the container is left but its log.</summary>
    public async Task DestroyAsync(string id, CancellationToken ct)
    {
        await DeleteAsync(id, ct).ConfigureAwait(false);
        OverlayMount.Unmount(PathsOf(id).Rootfs);
        Remove(id);
    }

    /// <summary>Deletes the container's files (call after <see cref="DeleteAsync"/> and unmounting its rootfs).</summary>
    public void Remove(string id)
    {
        var directory = PathsOf(id).Directory;
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Deletes container logs untouched for <paramref name="olderThan"/> (ECS's agent cleans up stopped containers
    /// after 3 hours) unless their container is in <paramref name="keep"/> (a task the node still holds, or output
    /// still being shipped). Returns how many were deleted.
    /// </summary>
    public int RemoveOldLogs(IReadOnlySet<string> keep, TimeSpan olderThan)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var cutoff = _time.GetUtcNow() - olderThan;
        var removed = 0;
        foreach (var file in new DirectoryInfo(_logs).EnumerateFiles("*.log"))
        {
            if (!keep.Contains(Path.GetFileNameWithoutExtension(file.Name)) && file.LastWriteTimeUtc < cutoff.UtcDateTime)
            {
                file.Delete();
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Ids of every container runc knows under this agent's root.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var result = await RuncAsync(ct, "list", "--format", "json").ConfigureAwait(false);
        if (!result.Succeeded || string.IsNullOrWhiteSpace(result.StandardOutput) || result.StandardOutput.Trim() == "null")
        {
            return [];
        }
        using var json = JsonDocument.Parse(result.StandardOutput);
        return [.. json.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    private async Task WaitForCreateAsync(string id, ContainerPaths paths, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var deadline = started + CreateTimeout;
        while (!File.Exists(paths.PidFile))
        {
            if (ExitOf(id) is { } exit)
            {
                throw new ContainerRuntimeException($"container {id} failed to start (exit {exit.ExitCode}): {await ReadConmonErrorAsync(paths, ct).ConfigureAwait(false)}");
            }
            if (_time.GetUtcNow() > deadline)
            {
                throw new ContainerRuntimeException($"container {id} was not created within {CreateTimeout.TotalSeconds} s");
            }
            // runc create takes ~150 ms: look often while it is due (a start waits on this), then back off.
            var waited = _time.GetUtcNow() - started;
            await Task.Delay(TimeSpan.FromMilliseconds(waited < TimeSpan.FromSeconds(1) ? 2 : 10), _time, ct).ConfigureAwait(false);
        }
    }

    private static async Task<string> ReadConmonErrorAsync(ContainerPaths paths, CancellationToken ct)
    {
        // runc's create error is written to the container log by conmon.
        if (!File.Exists(paths.Log))
        {
            return "no output";
        }
        var lines = await File.ReadAllLinesAsync(paths.Log, ct).ConfigureAwait(false);
        return string.Join(" ", lines.TakeLast(3).Select(l => l.Split(' ', 4) is { Length: 4 } p ? p[3] : l));
    }

    private Task<ProcessResult> RuncAsync(CancellationToken ct, params string[] args) =>
        ProcessRunner.RunAsync(Runc, new[] { "--root", _runcRoot }.Concat(args), ct);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started container {Id}")]
    private static partial void LogStarted(ILogger logger, string id);
}

/// <summary>runc or conmon refused; the message carries their error text.</summary>
public sealed class ContainerRuntimeException(string message) : Exception(message);
