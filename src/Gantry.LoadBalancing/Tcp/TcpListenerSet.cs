using System.Net;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.State;
using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing.Tcp;

/// <summary>
/// The TCP listeners of network load balancers: one <see cref="TcpForwarder"/> per listener, opened, re-routed and
/// closed as the snapshots change. Closing a listener lets its connections finish; disposing the set ends them all.
/// </summary>
public sealed class TcpListenerSet(ITargetHealth health, TimeProvider time, ILogger<TcpListenerSet> logger) : IListenerSet
{
    private readonly Dictionary<string, TcpForwarder> _forwarders = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _aborted = new();
    private readonly SemaphoreSlim _applying = new(1, 1);

    public async Task ApplyAsync(LoadBalancingSnapshot snapshot, CancellationToken cancellationToken)
    {
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = snapshot.LoadBalancers
                .Where(b => b.IsNetwork)
                .SelectMany(b => b.Listeners.Where(l => l.Protocol == "TCP").Select(l => (Listener: l, Endpoint: new IPEndPoint(b.Address, l.Port))))
                .ToDictionary(l => l.Listener.Arn, StringComparer.Ordinal);
            foreach (var (arn, forwarder) in _forwarders.Where(f => !wanted.TryGetValue(f.Key, out var w) || !w.Endpoint.Equals(f.Value.Endpoint)).ToList())
            {
                _forwarders.Remove(arn);
                await forwarder.DisposeAsync().ConfigureAwait(false);
            }
            List<Exception> failures = [];
            foreach (var (arn, (listener, endpoint)) in wanted)
            {
                if (!_forwarders.TryGetValue(arn, out var forwarder))
                {
                    try
                    {
                        forwarder = new TcpForwarder(endpoint, health, time, logger, _aborted.Token);
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        failures.Add(new IOException($"Cannot listen on {endpoint} for {arn}: {e.Message}", e));
                        continue;
                    }
                    _forwarders[arn] = forwarder;
                }
                forwarder.Route(ForwardGroupArn(listener.Listener) is { } group ? snapshot.TargetGroups.GetValueOrDefault(group) : null);
            }
            if (failures.Count > 0)
            {
                throw new AggregateException(failures);
            }
        }
        finally
        {
            _applying.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            await _aborted.CancelAsync().ConfigureAwait(false);
            foreach (var forwarder in _forwarders.Values)
            {
                await forwarder.DisposeAsync().ConfigureAwait(false);
            }
            _forwarders.Clear();
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>The target group a TCP listener's default forward action sends to.</summary>
    private static string? ForwardGroupArn(Listener listener) =>
        listener.DefaultActions?.Where(a => a.Type == "forward")
            .Select(a => a.TargetGroupArn ?? (a.ForwardConfig?.TargetGroups is [var first, ..] ? first.TargetGroupArn : null))
            .FirstOrDefault(arn => arn is not null);
}
