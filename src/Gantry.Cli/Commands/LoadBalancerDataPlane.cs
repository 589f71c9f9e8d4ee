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
internal static class LoadBalancerDataPlane
{
    public static LoadBalancingDataPlane Create(IStateStore store, MasterKey masterKey, ControlPlaneSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var documents = new Documents(store, AwsJson.Options);
        var health = new TargetHealthChecker(documents, new HealthProbe(time), time, loggers.CreateLogger<TargetHealthChecker>());
        IListenerSet[] listeners = [new HttpListenerSet(health, time, loggers), new TcpListenerSet(health, time, loggers.CreateLogger<TcpListenerSet>())];
        var hosts = settings.HostsFile is null ? null : new HostsFile(settings.DataDirectory, settings.HostsFile);
        return new LoadBalancingDataPlane(new SnapshotReader(documents, masterKey), store, listeners, health, hosts, time,
            loggers.CreateLogger<LoadBalancingDataPlane>());
    }
}
