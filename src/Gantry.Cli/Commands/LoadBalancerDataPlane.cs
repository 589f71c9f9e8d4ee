using Gantry.Auth.Keys;
using Gantry.Domain.Json;
using Gantry.LoadBalancing;
using Gantry.LoadBalancing.Health;
using Gantry.LoadBalancing.Hosts;
using Gantry.LoadBalancing.Http;
using Gantry.LoadBalancing.State;
using Gantry.LoadBalancing.Tcp;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>
/// The load balancers' data plane as the control plane process runs it: the listeners (HTTP/HTTPS and TCP) and the health
/// checks, following the state store, and the DNS names in the hosts file. A fresh one per run of its loop, so the
/// supervisor's restart after a failure starts from closed listeners.
/// </summary>
internal static partial class LoadBalancerDataPlane
{
    public static LoadBalancingDataPlane Create(IStateStore store, MasterKey masterKey, ControlPlaneSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var documents = new Documents(store, AwsJson.Options);
        var health = new TargetHealthChecker(documents, new HealthProbe(time), time, loggers.CreateLogger<TargetHealthChecker>());
        IListenerSet[] listeners = [new HttpListenerSet(health, time, loggers), new TcpListenerSet(health, time, loggers.CreateLogger<TcpListenerSet>())];
        var hosts = Writable(settings.HostsFile, loggers.CreateLogger(typeof(LoadBalancerDataPlane))) is { } path ? new HostsFile(settings.DataDirectory, path) : null;
        return new LoadBalancingDataPlane(new SnapshotReader(documents, masterKey), store, listeners, health, hosts, time,
            loggers.CreateLogger<LoadBalancingDataPlane>());
    }

    /// <summary>The hosts file when this process may write it; otherwise (not root, say) null, with a warning: the listeners serve without DNS names.</summary>
    private static string? Writable(string? path, ILogger logger)
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            using (File.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
            {
            }
            return path;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            HostsFileNotWritable(logger, path, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Load balancers' DNS names will not resolve on this node: cannot write {HostsFile} ({Reason}); use --hosts-file.")]
    private static partial void HostsFileNotWritable(ILogger logger, string hostsFile, string reason);
}
