using Gantry.Agent.Connection;
using Gantry.Agent.Engine;
using Gantry.Agent.Images;
using Gantry.Agent.Logs.Shipping;
using Gantry.Agent.MetadataEndpoint;
using Gantry.Agent.Networking;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Runtime.Spec;
using Gantry.Agent.Sandbox;
using Gantry.Domain.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent;

/// <summary>
/// A running node agent: image store, container runtime, task engine and the control stream, composed from
/// <see cref="AgentSettings"/>, and the task metadata endpoint. Disposing it leaves containers running; the next agent adopts them.
/// </summary>
public sealed partial class AgentHost : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ImageStore _images;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _connection;
    private readonly Task _housekeeping;
    private readonly LogShippers _logs;
    private readonly ControlPlaneLogs _logDestination;
    private readonly NodeJoiner _joiner;
    private readonly MetadataServer? _metadata;
    private readonly Gantry.Dns.DnsServer? _dnsRelay;
    private readonly Task _sampling;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>How often the image cache is checked against its limit (and old container logs removed).</summary>
    public static readonly TimeSpan ImageCollectionInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long a container's log stays on the node after its task is gone (ECS's agent: 3 hours).</summary>
    public static readonly TimeSpan LogRetention = TimeSpan.FromHours(3);

    /// <summary>How long a reclaimed Spot node's agent takes at most to shut down: the two-minute warning, and a little to
    /// remove the tasks and have their ends recorded.</summary>
    public static readonly TimeSpan ReclaimWindow = SpotInterruption.Warning + TimeSpan.FromSeconds(15);

    /// <summary>How long a reclaiming agent waits for the control plane to take its reclaim report.</summary>
    private static readonly TimeSpan ReclaimReportTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often a reclaiming agent looks whether the control plane recorded the last task ends.</summary>
    private static readonly TimeSpan RecordedPoll = TimeSpan.FromMilliseconds(200);

    private AgentHost(HttpClient http, ImageStore images, ContainerRuntime runtime, TaskEngine engine, AgentConnection connection, LogShippers logs,
        ControlPlaneLogs logDestination, NodeJoiner joiner, long imageCacheMaxBytes, TimeProvider time, MetadataServer? metadata, Gantry.Dns.DnsServer? dnsRelay,
        StatsSampler sampler, ILogger logger)
    {
        _dnsRelay = dnsRelay;
        _time = time;
        _logger = logger;
        _metadata = metadata;
        _joiner = joiner;
        _logs = logs;
        _logDestination = logDestination;
        _http = http;
        _images = images;
        Engine = engine;
        Connection = connection;
        _connection = connection.RunAsync(_stop.Token);
        _housekeeping = HousekeepingAsync(runtime, imageCacheMaxBytes, time, _stop.Token);
        _sampling = metadata is null ? Task.CompletedTask : sampler.RunAsync(() =>
            [.. engine.Tasks.SelectMany(t => t.Containers.Where(c => c.Created && c.LastStatus == Gantry.Domain.Tasks.ContainerStatus.Running).Select(c => (c.RuntimeId, MetadataService.OwnNetwork(t))))],
            _stop.Token);
    }

    public TaskEngine Engine { get; }
    public AgentConnection Connection { get; }

    public static async Task<AgentHost> StartAsync(AgentSettings settings, ILoggerFactory logging, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logging);
        Directory.CreateDirectory(settings.StateDirectory);
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        // The control plane's own registry speaks what its API speaks: plain http when the endpoint is http.
        var insecure = settings.Servers.Where(s => s.ApiEndpoint.Scheme == Uri.UriSchemeHttp).Select(s => s.ApiEndpoint.Authority).ToArray();
        var images = new ImageStore(Path.Combine(settings.StateDirectory, "images"), new RegistryClient(http, insecure), time, logging.CreateLogger<ImageStore>());
        var runtime = new ContainerRuntime(settings.StateDirectory, time, logging.CreateLogger<ContainerRuntime>());
        var addresses = AddressPool.DirectoryFor(settings.BridgeName);
        AddressPool.Adopt(Path.Combine(settings.StateDirectory, "ipam"), addresses);
        var network = new TaskNetwork(new AddressPool(addresses, settings.BridgeAddress, time), settings.BridgeAddress, settings.BridgeName, settings.MetadataAddress,
            settings.PublishAddress);
        var servers = new ControlPlaneServers(settings.Servers);
        var joiner = new NodeJoiner(settings, servers, logging.CreateLogger<NodeJoiner>());
        var logDestination = new ControlPlaneLogs(servers, joiner);
        // A container's output is complete once conmon recorded its exit, or once the task removed it.
        var logs = new LogShippers(settings.StateDirectory, logDestination,
            id => runtime.ExitOf(id) is not null || !Directory.Exists(runtime.PathsOf(id).Directory), time, logging.CreateLogger<LogShippers>());
        var files = new TaskStateFiles(settings.StateDirectory);
        var sandboxes = new TaskSandboxes(settings.StateDirectory, time, logging.CreateLogger<TaskSandboxes>());
        var relay = await StartDnsRelayAsync(network, settings.DnsServer, logging.CreateLogger<AgentHost>(), ct).ConfigureAwait(false);
        var node = new NodeServices(images, runtime, files, network, settings.RegistryHost, time,
            logging.CreateLogger<TaskEngine>(), logs, sandboxes, new Uri($"http://{settings.MetadataAddress}"), relay?.Endpoint.Address);
        var engine = new TaskEngine(node);
        var sampler = new StatsSampler(new CgroupStatsReader(), runtime.RuncStateFile, time);
        var service = new MetadataService(() => engine.Tasks, new NodeFacts(settings.AvailabilityZone, network.Subnet, network.BridgeAddress), sampler,
            task => new EphemeralStorageMetadata(
                EphemeralStorage.UtilizedMib(task.Containers.Select(c => runtime.PathsOf(c.RuntimeId).Upper).Append(files.TaskDirectory(task.Id))),
                (task.Launch?.StorageGiB ?? 0) * 1024L),
            time);
        var metadata = await StartMetadataAsync(network, settings.MetadataAddress, service, logging.CreateLogger<AgentHost>(), ct).ConfigureAwait(false);
        await engine.ResumeAsync(ct).ConfigureAwait(false);
        logs.ResumeAll();
        var connection = new AgentConnection(settings, servers, joiner, engine, new RemoteTaskRoutes(logging.CreateLogger<RemoteTaskRoutes>()), time,
            logging.CreateLogger<AgentConnection>());
        return new AgentHost(http, images, runtime, engine, connection, logs, logDestination, joiner, settings.ImageCacheMaxBytes, time, metadata, relay, sampler,
            logging.CreateLogger<AgentHost>());
    }

    /// <summary>
    /// The task metadata endpoint on the bridge's metadata address. A node that cannot serve it (the address taken by
    /// another agent in this network namespace) still runs tasks: their metadata requests then fail to connect.
    /// </summary>
    private static async Task<MetadataServer?> StartMetadataAsync(TaskNetwork network, System.Net.IPAddress address, MetadataService service, ILogger logger,
        CancellationToken ct)
    {
        try
        {
            await network.EnsureBridgeAsync(ct).ConfigureAwait(false);
            var server = await MetadataServer.StartAsync(new System.Net.IPEndPoint(address, MetadataIds.Port), service, ct).ConfigureAwait(false);
            LogMetadataListening(logger, server.Endpoint);
            return server;
        }
        catch (Exception e) when (e is IOException or CannotStartContainerException or InvalidOperationException)
        {
            LogMetadataUnavailable(logger, address, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The node's DNS relay on the bridge address (port 53, udp and tcp), forwarding its tasks' queries to the control plane's
    /// DNS server (Cloud Map names, and the rest on to its resolvers). Null without a DNS server, or when the address cannot
    /// be bound (logged): tasks then use the node's own resolvers.
    /// </summary>
    private static async Task<Gantry.Dns.DnsServer?> StartDnsRelayAsync(TaskNetwork network, System.Net.IPEndPoint? dnsServer, ILogger logger, CancellationToken ct)
    {
        if (dnsServer is null)
        {
            return null;
        }
        try
        {
            await network.EnsureBridgeAsync(ct).ConfigureAwait(false);
            var relay = await Gantry.Dns.DnsServer.StartAsync(new System.Net.IPEndPoint(network.BridgeAddress, 53), [dnsServer], logger, ct).ConfigureAwait(false);
            LogDnsRelay(logger, relay.Endpoint, dnsServer);
            return relay;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or CannotStartContainerException)
        {
            LogDnsRelayUnavailable(logger, network.BridgeAddress, e.Message);
            return null;
        }
    }

    /// <summary>Every few minutes: the image cache back under its limit, and logs of containers long gone removed.</summary>
    private async Task HousekeepingAsync(ContainerRuntime runtime, long maxBytes, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ImageCollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await _images.CollectAsync(Engine.InUseSnapshots, maxBytes, ct).ConfigureAwait(false);
                var keep = Engine.Tasks.SelectMany(t => t.Containers).Select(c => c.RuntimeId).Concat(_logs.Pending).ToHashSet(StringComparer.Ordinal);
                runtime.RemoveOldLogs(keep, LogRetention);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// How a Fargate Spot node's agent shuts down (it got SIGTERM: the node is being reclaimed). The control plane is told
    /// first, so nothing is placed here again and the node's tasks stop with SpotInterruption; then every task is stopped
    /// here too (SIGTERM, SIGKILL after its stopTimeout, at most the two-minute warning), and the agent waits, within the
    /// warning, until the control plane has recorded each end. Unlike an ordinary shutdown, no container outlives it.
    /// </summary>
    public async Task ReclaimAsync()
    {
        using var window = new CancellationTokenSource(ReclaimWindow, _time);
        try
        {
            using var reporting = CancellationTokenSource.CreateLinkedTokenSource(window.Token);
            reporting.CancelAfter(ReclaimReportTimeout);
            LogReclaimReported(_logger, await Connection.ReportReclaimAsync(reporting.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (e is RpcException or HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The tasks stop all the same; the control plane records them as SpotInterruption from their reports.
            LogReclaimNotReported(_logger, e.Message);
        }
        try
        {
            await Engine.StopAllAsync(SpotInterruption.StopCode, SpotInterruption.Reason).WaitAsync(window.Token).ConfigureAwait(false);
            while (Engine.Tasks.Count > 0)
            {
                await Task.Delay(RecordedPoll, _time, window.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            LogReclaimWindowOver(_logger, Engine.Tasks.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _connection.ConfigureAwait(false);
        await _housekeeping.ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        if (_metadata is not null)
        {
            await _metadata.DisposeAsync().ConfigureAwait(false);
        }
        if (_dnsRelay is not null)
        {
            await _dnsRelay.DisposeAsync().ConfigureAwait(false);
        }
        await Engine.DisposeAsync().ConfigureAwait(false);
        await _logs.DisposeAsync().ConfigureAwait(false);
        _logDestination.Dispose();
        _joiner.Dispose();
        _images.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot node reclaimed: the control plane interrupted {Count} tasks; stopping them")]
    private static partial void LogReclaimReported(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot node reclaimed, but the control plane could not be told ({Reason}); stopping the tasks")]
    private static partial void LogReclaimNotReported(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The two-minute Spot warning is over with {Count} tasks not yet recorded as stopped")]
    private static partial void LogReclaimWindowOver(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task metadata endpoint listening on {Endpoint}")]
    private static partial void LogMetadataListening(ILogger logger, System.Net.IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS relay for tasks listening on {Endpoint}, forwarding to {Server}")]
    private static partial void LogDnsRelay(ILogger logger, System.Net.IPEndPoint endpoint, System.Net.IPEndPoint server);

    [LoggerMessage(Level = LogLevel.Error, Message = "DNS relay unavailable: cannot listen on {Address}:53 ({Reason}); tasks use this node's resolvers")]
    private static partial void LogDnsRelayUnavailable(ILogger logger, System.Net.IPAddress address, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task metadata endpoint unavailable: cannot listen on {Address}:80: {Reason}")]
    private static partial void LogMetadataUnavailable(ILogger logger, System.Net.IPAddress address, string reason);
}
