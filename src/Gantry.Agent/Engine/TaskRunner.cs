using Gantry.Agent.Images;
using Gantry.Agent.Logs;
using Gantry.Agent.Logs.Shipping;
using Gantry.Agent.Networking;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Runtime.Spec;
using Gantry.Agent.Sandbox;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Microsoft.Extensions.Logging;
using ContainerStatus = Gantry.Domain.Tasks.ContainerStatus; // not the runtime's Runtime.Conmon.ContainerStatus

namespace Gantry.Agent.Engine;

/// <summary>
/// Owns one task on this node and moves it through ECS's lifecycle: PROVISIONING (network) → PENDING (pull)
/// → ACTIVATING (start containers in dependsOn order) → RUNNING → DEACTIVATING → STOPPING (stop signal,
/// SIGKILL after stopTimeout, reverse order) → DEPROVISIONING (remove) → STOPPED. Statuses only move forward.
/// Every change is persisted before it is reported, so a restarted agent resumes where this one stopped:
/// containers that run are adopted, containers that exited are reported with their exit codes, and a container
/// is only ever started once (its runc id is fixed by task and name, and runc or conmon knowing it means it started).
/// The runner reaches containers, images and networking only through <see cref="NodeServices"/>' interfaces.
/// </summary>
public sealed partial class TaskRunner : IDisposable
{
    private static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(30);
    private readonly NodeServices _node;
    private readonly Func<AgentTask, Task> _report;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<IPublishedPort> _proxies = [];
    private readonly CancellationTokenSource _health = new();
    private readonly List<Task> _healthChecks = [];
    private AgentTask _task;
    private TaskSandbox? _sandbox;
    private bool _networkReady;
    private long _firewallSequence;

    public TaskRunner(AgentTask task, NodeServices node, Func<AgentTask, Task> report)
    {
        _task = task;
        _node = node;
        _report = report;
        if (task.DesiredStatus == TaskStatus.Stopped)
        {
            _stop.Cancel();
        }
    }

    public AgentTask Current => _task;

    public void Dispose()
    {
        foreach (var proxy in _proxies)
        {
            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        _health.Cancel();
        _health.Dispose();
        _stop.Dispose();
        _gate.Dispose();
    }

    /// <summary>Asks the task to stop; the runner stops its containers gracefully and reaches STOPPED.</summary>
    public async Task RequestStopAsync(string stopCode, string reason)
    {
        if (_task.DesiredStatus != TaskStatus.Stopped)
        {
            await UpdateAsync(t => t with { DesiredStatus = TaskStatus.Stopped, StopCode = t.StopCode ?? stopCode, StoppedReason = t.StoppedReason ?? reason }, CancellationToken.None).ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        if (_task.LastStatus == TaskStatus.Stopped)
        {
            return;
        }
        if (_task.LastStatus == TaskStatus.Provisioning)
        {
            await _node.Files.SaveAsync(_task, CancellationToken.None).ConfigureAwait(false);
            await _report(_task).ConfigureAwait(false);
        }
        var exits = new Dictionary<string, Task<ContainerExit>>(StringComparer.Ordinal);
        try
        {
            await AdoptAsync(exits, ct).ConfigureAwait(false);
            if (!_stop.IsCancellationRequested)
            {
                await StartAsync(exits, ct).ConfigureAwait(false);
            }
            if (!_stop.IsCancellationRequested)
            {
                await MonitorAsync(exits, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Asked to stop while starting.
        }
        if (ct.IsCancellationRequested)
        {
            return; // the agent is shutting down: containers keep running and are adopted on restart
        }
        await ShutdownAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Picks up containers this task already created (the agent restarted) and watches their exits.</summary>
    private async Task AdoptAsync(Dictionary<string, Task<ContainerExit>> exits, CancellationToken ct)
    {
        foreach (var container in _task.Containers)
        {
            var known = container.Created || await _node.Runtime.ExistsAsync(container.RuntimeId, ct).ConfigureAwait(false);
            if (!known || container.LastStatus == ContainerStatus.Stopped)
            {
                continue;
            }
            if (!container.Created)
            {
                await UpdateAsync(t => t.With(t.Container(container.Name) with { Created = true, LastStatus = ContainerStatus.Running }), ct).ConfigureAwait(false);
            }
            exits[container.Name] = _node.Runtime.WaitForExitAsync(container.RuntimeId, ct);
            Republish(_task.Container(container.Name));
            MonitorHealth(container.Name);
            LogAdopted(_node.Logger, container.RuntimeId);
        }
    }

    private async Task StartAsync(Dictionary<string, Task<ContainerExit>> exits, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        // PROVISIONING is the network (as ECS attaches ENIs then); PENDING starts with the pull. Each step is one
        // persisted, reported change: a burst of tasks pays for every state file and every report.
        System.Net.IPAddress? address;
        try
        {
            var limits = TaskIsolation.Limits(_task);
            address = await _node.Network.EnsureAsync(_task.Definition.NetworkMode, _task.Id, _task.Launch?.Interface, token).ConfigureAwait(false);
            await ApplyFirewallAsync(token).ConfigureAwait(false);
            if (limits is not null)
            {
                var sandboxes = _node.Sandboxes ?? throw new SandboxException("ResourceInitializationError: this node cannot isolate tasks (no task cgroups or ephemeral storage)");
                _sandbox = await sandboxes.EnsureAsync(_task.Id, limits, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CannotStartContainerException or SandboxException)
        {
            await FailToStartAsync(_task.Containers[0].Name, e.Message).ConfigureAwait(false);
            return;
        }
        await UpdateAsync(t => t with
        {
            LastStatus = TaskStatus.Forward(t.LastStatus, TaskStatus.Pending),
            PrivateIp = address?.ToString(),
            PullStartedAt = t.PullStartedAt ?? _node.Time.GetUtcNow(),
        }, token).ConfigureAwait(false);
        var images = await PullAsync(token).ConfigureAwait(false);
        if (images is null)
        {
            return;
        }
        await UpdateAsync(t => t with
        {
            LastStatus = TaskStatus.Forward(t.LastStatus, TaskStatus.Activating),
            PullStoppedAt = _node.Time.GetUtcNow(),
            Containers = [.. t.Containers.Select(c => images.TryGetValue(c.Name, out var image) ? c with { ImageDigest = image.ManifestDigest } : c)],
        }, token).ConfigureAwait(false);
        foreach (var definition in ContainerDependencies.StartOrder(_task.Definition.ContainerDefinitions ?? []))
        {
            if (_task.Container(definition.Name!).Created)
            {
                continue;
            }
            if (!await DependenciesMetAsync(definition, exits, token).ConfigureAwait(false))
            {
                return;
            }
            try
            {
                await StartContainerAsync(definition, images[definition.Name!], token).ConfigureAwait(false);
                exits[definition.Name!] = _node.Runtime.WaitForExitAsync(_task.Container(definition.Name!).RuntimeId, ct);
                MonitorHealth(definition.Name!);
            }
            catch (Exception e) when (e is CannotStartContainerException or ContainerRuntimeException)
            {
                var reason = e.Message.StartsWith("CannotStartContainerError", StringComparison.Ordinal) ? e.Message : $"CannotStartContainerError: {e.Message}";
                await FailToStartAsync(definition.Name!, reason).ConfigureAwait(false);
                return;
            }
        }
        await UpdateAsync(t => t with { StartedAt = t.StartedAt ?? _node.Time.GetUtcNow(), LastStatus = TaskStatus.Forward(t.LastStatus, TaskStatus.Running) }, token)
            .ConfigureAwait(false);
    }

    private async Task<Dictionary<string, PulledImage>?> PullAsync(CancellationToken ct)
    {
        var images = new Dictionary<string, PulledImage>(StringComparer.Ordinal);
        // Only the containers still to create: one a restarted agent adopted runs on its snapshots (kept by
        // InUseSnapshots), and asking the registry again would stop a running task when the registry is unreachable.
        foreach (var definition in (_task.Definition.ContainerDefinitions ?? []).Where(d => !_task.Container(d.Name!).Created))
        {
            if (!ImageReference.TryParse(definition.Image, _node.DefaultRegistry, out var reference))
            {
                await FailToStartAsync(definition.Name!, $"CannotPullContainerError: invalid image reference '{definition.Image}'").ConfigureAwait(false);
                return null;
            }
            try
            {
                var login = _task.Registry is { } r && r.Host == reference.Registry ? new RegistryLogin(r.User, r.Password) : null;
                var image = await _node.Images.PullAsync(reference, login, new PullProgressLog(_node.Logger, reference.ToString()), ct).ConfigureAwait(false);
                images[definition.Name!] = image;
            }
            catch (ImagePullException e)
            {
                await FailToStartAsync(definition.Name!, $"CannotPullContainerError: {e.Message}").ConfigureAwait(false);
                return null;
            }
        }
        return images;
    }

    private async Task StartContainerAsync(ContainerDefinition original, PulledImage image, CancellationToken ct)
    {
        var definition = ContainerOverrides.Apply(original, _task.Overrides);
        var container = _task.Container(definition.Name!);
        // A task with its own storage writes only there: writable layers, task volumes, /etc files.
        var storage = _sandbox?.StorageRoot;
        var paths = _node.Runtime.MountRootfs(container.RuntimeId, image.LayerDirectories, storage is null ? null : Path.Combine(storage, "containers", container.RuntimeId));
        var taskDirectory = storage ?? _node.Files.TaskDirectory(_task.Id);
        var hostname = definition.Hostname ?? container.RuntimeId[..Math.Min(12, container.RuntimeId.Length)];
        // Containers of a task share its network namespace, so a link (bridge mode) resolves to loopback.
        var extraHosts = (definition.Links ?? []).Select(l => l.Split(':', 2)).Select(p => ("127.0.0.1", string.Join(' ', p.Distinct())))
            .Concat((definition.ExtraHosts ?? []).Select(h => (h.IpAddress ?? "", h.Hostname ?? "")))
            .ToList();
        // A task with its own namespace asks the node's DNS relay (Cloud Map names, then the upstream resolvers); host-mode tasks use the node's resolvers.
        var nameserver = TaskNetwork.HasAddress(_task.Definition.NetworkMode) ? _node.Nameserver : null;
        var files = await ContainerFiles.WriteAsync(Path.Combine(taskDirectory, "etc", definition.Name!), hostname, extraHosts, nameserver, _task.Launch?.DnsSearch, ct)
            .ConfigureAwait(false);
        var (setup, netns) = TaskNetwork.For(_task.Definition.NetworkMode, _task.Id);
        // A task persisted by an agent without the metadata endpoint has no id yet: one now, saved with the container.
        var metadataId = container.MetadataId ?? MetadataEndpoint.MetadataIds.New();
        var launch = new ContainerLaunch(container.RuntimeId, definition, image.Config, paths.Rootfs, hostname, setup, netns,
            TaskVolumes.Resolve(_task.Definition, definition, taskDirectory), files.Hosts, files.Hostname, files.ResolvConf,
            $"{_sandbox?.CgroupParent ?? "/gantry"}/{container.RuntimeId}", new Dictionary<string, string>
            {
                ["ECS_CONTAINER_METADATA_URI_V4"] = _node.MetadataUri(metadataId),
                ["AWS_EXECUTION_ENV"] = _task.Launch?.IsFargate == true ? "AWS_ECS_FARGATE" : "AWS_ECS_EC2",
            }, storage);
        var spec = RuntimeSpecBuilder.Build(launch);
        if (definition.LinuxParameters?.InitProcessEnabled == true)
        {
            spec = InitProcess.Apply(spec);
        }
        var shipping = await OpenLogStreamAsync(definition, container, paths, ct).ConfigureAwait(false);
        var bindings = Publish(definition); // as Docker binds ports: before the process runs, so a taken port fails the start
        await _node.Runtime.StartAsync(container.RuntimeId, RuntimeSpecBuilder.ToJson(spec), ct).ConfigureAwait(false);
        if (shipping is not null)
        {
            _node.Logs!.Start(shipping);
        }
        await UpdateAsync(t => t.With(t.Container(definition.Name!) with
        {
            Created = true,
            LastStatus = ContainerStatus.Running,
            StartedAt = _node.Time.GetUtcNow(),
            Layers = image.LayerDirectories,
            Bindings = bindings,
            StopSignal = image.Config.Config?.StopSignal,
            MetadataId = metadataId,
        }), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The awslogs driver, before the container starts (as Docker initialises its log driver): the options must be valid
    /// and the stream must open, else the container cannot start. Null for containers without awslogs.
    /// </summary>
    private async Task<ShippingRecord?> OpenLogStreamAsync(ContainerDefinition definition, AgentContainer container, ContainerPaths paths, CancellationToken ct)
    {
        if (definition.LogConfiguration is not { LogDriver: "awslogs" } log)
        {
            return null;
        }
        const string Failed = "CannotStartContainerError: failed to initialize logging driver";
        if (_node.Logs is null)
        {
            throw new CannotStartContainerException($"{Failed}: this node has no control plane to ship awslogs to");
        }
        var raw = log.Options ?? new Dictionary<string, string>();
        AwslogsOptions options;
        try
        {
            options = AwslogsOptions.Parse(raw);
        }
        catch (AwslogsOptionException e)
        {
            throw new CannotStartContainerException($"{Failed}: {e.Message}");
        }
        var record = new ShippingRecord(container.RuntimeId, paths.Log, options.Group, options.StreamName(definition.Name!, _task.Id), raw)
        {
            TaskArn = _task.TaskArn,
            ContainerName = definition.Name!,
        };
        try
        {
            await _node.Logs.OpenAsync(record, options.CreateGroup, ct).ConfigureAwait(false);
        }
        catch (LogGroupMissingException e)
        {
            throw new CannotStartContainerException($"{Failed}: failed to create Cloudwatch log stream: {e.Message}");
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or HttpRequestException or InvalidOperationException)
        {
            throw new CannotStartContainerException($"{Failed}: {e.Message}");
        }
        return record;
    }

    /// <summary>
    /// Publishes a container's ports as <see cref="PortPublishing"/> plans them: a relay on the node's publish address per
    /// relayed port (bridge host ports, awsvpc public IP), reported with that address as bindIP; host-mode ports as 0.0.0.0.
    /// A port the node cannot bind (another process holds it) fails the container's start with a reason naming it.
    /// </summary>
    private List<PortBinding> Publish(ContainerDefinition definition)
    {
        var bindings = new List<PortBinding>();
        foreach (var port in PortPublishing.Plan(_task, definition))
        {
            if (!port.Relayed)
            {
                bindings.Add(new PortBinding("0.0.0.0", port.ContainerPort, port.HostPort, port.Protocol));
                continue;
            }
            var bindIp = _node.Network.PublishAddress.ToString();
            try
            {
                var proxy = _node.Network.Publish(port.Protocol, port.HostPort, TaskEndpoint(port.ContainerPort));
                _proxies.Add(proxy);
                bindings.Add(new PortBinding(bindIp, port.ContainerPort, proxy.HostPort, port.Protocol));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new CannotStartContainerException(
                    $"CannotStartContainerError: publishing {bindIp}:{port.HostPort}/{port.Protocol} for container port {port.ContainerPort}: {e.Message}");
            }
        }
        return bindings;
    }

    private System.Net.IPEndPoint TaskEndpoint(int containerPort) => new(System.Net.IPAddress.Parse(_task.PrivateIp!), containerPort);

    /// <summary>Re-opens the relayed ports of an adopted container (the relays died with the old agent).</summary>
    private void Republish(AgentContainer container)
    {
        if (!PortPublishing.Relays(_task))
        {
            return;
        }
        foreach (var binding in container.Bindings ?? [])
        {
            try
            {
                _proxies.Add(_node.Network.Publish(binding.Protocol, binding.HostPort, TaskEndpoint(binding.ContainerPort)));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                LogRepublishFailed(_node.Logger, container.RuntimeId, binding.HostPort, e.Message);
            }
        }
    }

    /// <summary>Waits for dependsOn conditions (START, COMPLETE, SUCCESS, HEALTHY) within the container's startTimeout.</summary>
    private async Task<bool> DependenciesMetAsync(ContainerDefinition definition, Dictionary<string, Task<ContainerExit>> exits, CancellationToken ct)
    {
        foreach (var dependency in definition.DependsOn ?? [])
        {
            var name = dependency.ContainerName!;
            if (dependency.Condition == "START")
            {
                continue; // started before us (ContainerDependencies.StartOrder)
            }
            if (dependency.Condition == "HEALTHY")
            {
                if (!await WaitHealthyAsync(definition, name, ct).ConfigureAwait(false))
                {
                    return false;
                }
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (definition.StartTimeout is { } seconds and > 0)
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            ContainerExit exit;
            try
            {
                exit = await exits[name].WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await FailToStartAsync(definition.Name!, $"CannotStartContainerError: dependency {name} did not reach {dependency.Condition} within {definition.StartTimeout} s").ConfigureAwait(false);
                return false;
            }
            await RecordExitAsync(name, exit, ct).ConfigureAwait(false);
            if (dependency.Condition == "SUCCESS" && exit.ExitCode != 0)
            {
                await FailToStartAsync(definition.Name!, $"CannotStartContainerError: dependency {name} exited with {exit.ExitCode}, SUCCESS required").ConfigureAwait(false);
                return false;
            }
        }
        return true;
    }

    private async Task<bool> WaitHealthyAsync(ContainerDefinition definition, string dependency, CancellationToken ct)
    {
        var deadline = _node.Time.GetUtcNow() + TimeSpan.FromSeconds(definition.StartTimeout is > 0 ? definition.StartTimeout.Value : 300);
        while (_task.Container(dependency).HealthStatus != HealthStatuses.Healthy)
        {
            if (_node.Time.GetUtcNow() > deadline || _task.Container(dependency).LastStatus == ContainerStatus.Stopped)
            {
                await FailToStartAsync(definition.Name!, $"CannotStartContainerError: dependency {dependency} did not become HEALTHY").ConfigureAwait(false);
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), _node.Time, ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Starts the container's health check (if it has one); each change of its status is persisted and reported.</summary>
    private void MonitorHealth(string name)
    {
        var check = _task.Definition.ContainerDefinitions?.First(d => d.Name == name).HealthCheck;
        if (check is null)
        {
            return;
        }
        var checker = new HealthChecker(_node.Runtime, _node.Time);
        var runtimeId = _task.Container(name).RuntimeId;
        _healthChecks.Add(Task.Run(async () =>
        {
            try
            {
                await checker.RunAsync(runtimeId, check,
                    status => UpdateAsync(t => t.With(t.Container(name) with { HealthStatus = status }), CancellationToken.None), _health.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }));
    }

    /// <summary>Watches running containers; an essential container's exit stops the task.</summary>
    private async Task MonitorAsync(Dictionary<string, Task<ContainerExit>> exits, CancellationToken ct)
    {
        var pending = exits.Where(e => _task.Container(e.Key).LastStatus != ContainerStatus.Stopped).ToDictionary(e => e.Value, e => e.Key);
        var stopped = Task.Delay(Timeout.Infinite, _stop.Token);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Keys.Append(stopped)).ConfigureAwait(false);
            if (done == stopped)
            {
                return;
            }
            var name = pending[(Task<ContainerExit>)done];
            pending.Remove((Task<ContainerExit>)done);
            var exit = await ((Task<ContainerExit>)done).ConfigureAwait(false);
            await RecordExitAsync(name, exit, ct).ConfigureAwait(false);
            var definition = _task.Definition.ContainerDefinitions!.First(d => d.Name == name);
            if (definition.Essential != false)
            {
                await RequestStopAsync(TaskStopCodeValues.EssentialContainerExited, "Essential container in task exited").ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task ShutdownAsync(CancellationToken ct)
    {
        await _health.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_healthChecks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await MoveAsync(TaskStatus.Deactivating, ct).ConfigureAwait(false);
        await MoveAsync(TaskStatus.Stopping, ct).ConfigureAwait(false);
        foreach (var definition in ContainerDependencies.StartOrder(_task.Definition.ContainerDefinitions ?? []).Reverse())
        {
            var container = _task.Container(definition.Name!);
            if (!container.Created || container.LastStatus == ContainerStatus.Stopped)
            {
                continue;
            }
            var timeout = definition.StopTimeout is { } s and > 0 ? TimeSpan.FromSeconds(s) : DefaultStopTimeout;
            if (_task.StopCode == SpotInterruption.StopCode)
            {
                timeout = SpotInterruption.Cap(timeout);
            }
            var exit = await _node.Runtime.StopAsync(container.RuntimeId, container.StopSignal ?? "SIGTERM", timeout, ct).ConfigureAwait(false);
            await RecordExitAsync(definition.Name!, exit, ct).ConfigureAwait(false);
        }
        await MoveAsync(TaskStatus.Deprovisioning, ct).ConfigureAwait(false);
        // Every container, created or not: one that failed to start may still have its rootfs mounted.
        foreach (var container in _task.Containers)
        {
            await _node.Runtime.DestroyAsync(container.RuntimeId, ct).ConfigureAwait(false);
        }
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
        _proxies.Clear();
        await _node.Network.RemoveAsync(_task.Definition.NetworkMode, _task.Id, _task.Launch?.Interface, ct).ConfigureAwait(false);
        if (TaskIsolation.MayHoldSandbox(_task) && _node.Sandboxes is { } sandboxes)
        {
            await sandboxes.ReleaseAsync(_task.Id, ct).ConfigureAwait(false);
        }
        await UpdateAsync(t => t with
        {
            ExecutionStoppedAt = t.ExecutionStoppedAt ?? _node.Time.GetUtcNow(),
            Containers = [.. t.Containers.Select(c => c.LastStatus == ContainerStatus.Stopped ? c : c with { LastStatus = ContainerStatus.Stopped })],
        }, ct).ConfigureAwait(false);
        await MoveAsync(TaskStatus.Stopped, ct).ConfigureAwait(false);
    }

    private async Task RecordExitAsync(string name, ContainerExit exit, CancellationToken ct)
    {
        if (_task.Container(name).LastStatus == ContainerStatus.Stopped)
        {
            return;
        }
        var reason = exit.OomKilled ? "OutOfMemoryError: Container killed due to memory usage" : null;
        await UpdateAsync(t => t.With(t.Container(name) with
        {
            LastStatus = ContainerStatus.Stopped,
            ExitCode = exit.ExitCode,
            OomKilled = exit.OomKilled,
            Reason = reason,
            FinishedAt = _node.Time.GetUtcNow(),
        }), ct).ConfigureAwait(false);
        var runtimeId = _task.Container(name).RuntimeId;
        LogExited(_node.Logger, runtimeId, exit.ExitCode, exit.OomKilled);
    }

    private async Task FailToStartAsync(string container, string reason)
    {
        await UpdateAsync(t => t.With(t.Container(container) with { Reason = reason, LastStatus = t.Container(container).Created ? t.Container(container).LastStatus : ContainerStatus.Stopped }),
            CancellationToken.None).ConfigureAwait(false);
        await RequestStopAsync(TaskStopCodeValues.TaskFailedToStart, reason).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the task's security groups as the control plane now sends them: kept with the task and, once its namespace
    /// exists, applied at once (before that, <see cref="StartAsync"/> applies them before any container starts).
    /// </summary>
    /// <param name="sequence">The update's number on this node: one numbered lower than an update already taken is dropped.</param>
    public async Task UpdateFirewallAsync(Networking.TaskFirewallPolicy policy, long sequence, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (sequence < _firewallSequence)
            {
                return;
            }
            _firewallSequence = sequence;
            _task = _task with { Launch = (_task.Launch ?? TaskLaunch.Ec2) with { Firewall = policy } };
            await _node.Files.SaveAsync(_task, CancellationToken.None).ConfigureAwait(false);
            if (_networkReady && _task.Definition.NetworkMode == "awsvpc" && _task.LastStatus != TaskStatus.Stopped)
            {
                await _node.Network.ApplyFirewallAsync(_task.Id, policy, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The task's firewall into its fresh (or adopted) namespace, under the gate so no update slips between.</summary>
    private async Task ApplyFirewallAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_task.Definition.NetworkMode == "awsvpc" && _task.Launch?.Firewall is { } policy)
            {
                await _node.Network.ApplyFirewallAsync(_task.Id, policy, ct).ConfigureAwait(false);
            }
            _networkReady = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task MoveAsync(string status, CancellationToken ct) =>
        UpdateAsync(t => t with { LastStatus = TaskStatus.Forward(t.LastStatus, status) }, ct);

    private async Task UpdateAsync(Func<AgentTask, AgentTask> change, CancellationToken _)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var next = change(_task);
            if (next == _task)
            {
                return;
            }
            _task = next;
            await _node.Files.SaveAsync(next, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        await _report(_task).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: host port {Port} could not be re-opened: {Reason}")]
    private static partial void LogRepublishFailed(ILogger logger, string id, int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted container {Id}")]
    private static partial void LogAdopted(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Container {Id} exited with {ExitCode} (OOM killed: {Oom})")]
    private static partial void LogExited(ILogger logger, string id, int exitCode, bool oom);
}
