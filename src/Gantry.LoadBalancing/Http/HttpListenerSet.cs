using System.Net;
using Gantry.LoadBalancing.Http.Actions;
using Gantry.LoadBalancing.Http.Forwarding;
using Gantry.LoadBalancing.Http.Listeners;
using Gantry.LoadBalancing.Http.Targets;
using Gantry.LoadBalancing.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.LoadBalancing.Http;

/// <summary>
/// The HTTP and HTTPS listeners of application load balancers: one Kestrel server per listener, forwarding through
/// YARP. Each snapshot opens the new listeners, closes the removed ones in the background (their requests finish),
/// reopens those whose address, protocol, certificate or balancer settings changed, and swaps every other listener's
/// routing in place.
/// </summary>
public sealed partial class HttpListenerSet : IListenerSet
{
    private readonly ITargetHealth _health;
    private readonly ILoggerFactory _quietLoggers;
    private readonly ILogger _logger;
    private readonly ServiceProvider _services;
    private readonly HttpMessageInvoker _client;
    private readonly RequestForwarder _forwarder;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<IPEndPoint, ProxyListener> _open = [];
    private readonly Dictionary<IPEndPoint, Task> _closing = [];
    private readonly Dictionary<string, TargetGroupBalancer> _groups = [];

    public HttpListenerSet(ITargetHealth health, TimeProvider time, ILoggerFactory loggers)
    {
        _health = health;
        _logger = loggers.CreateLogger<HttpListenerSet>();
        _quietLoggers = QuietLoggers.Over(loggers);
        _services = new ServiceCollection().AddLogging().AddSingleton(_quietLoggers).AddSingleton(time).AddHttpForwarder().BuildServiceProvider();
        _client = RequestForwarder.CreateClient();
        _forwarder = new RequestForwarder(_services.GetRequiredService<IHttpForwarder>(), _client, health, time);
    }

    /// <summary>The endpoints listening now (for tests and diagnostics).</summary>
    internal IReadOnlyCollection<IPEndPoint> OpenEndpoints
    {
        get
        {
            lock (_open)
            {
                return [.. _open.Keys];
            }
        }
    }

    public async Task ApplyAsync(LoadBalancingSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (endpoint, closing) in _closing.ToList())
            {
                if (closing.IsCompleted)
                {
                    _closing.Remove(endpoint);
                }
            }

            UpdateGroups(snapshot);
            var wanted = Compile(snapshot);
            foreach (var (endpoint, listener) in _open.ToList())
            {
                if (!wanted.TryGetValue(endpoint, out var next) || next.Settings != listener.Settings)
                {
                    Close(endpoint, listener);
                }
            }

            foreach (var (endpoint, (settings, router)) in wanted)
            {
                if (_open.TryGetValue(endpoint, out var listener))
                {
                    listener.Use(router);
                    continue;
                }

                await OpenAsync(settings, router, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var (endpoint, listener) in _open.ToList())
            {
                Close(endpoint, listener);
            }

            await Task.WhenAll(_closing.Values);
            _client.Dispose();
            await _services.DisposeAsync();
            _quietLoggers.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void UpdateGroups(LoadBalancingSnapshot snapshot)
    {
        foreach (var arn in _groups.Keys.ToList())
        {
            if (!snapshot.TargetGroups.ContainsKey(arn))
            {
                _groups.Remove(arn);
            }
        }

        foreach (var (arn, view) in snapshot.TargetGroups)
        {
            if (!_groups.TryGetValue(arn, out var balancer))
            {
                _groups[arn] = balancer = new TargetGroupBalancer(_health);
            }

            balancer.Update(view);
        }
    }

    private Dictionary<IPEndPoint, (ListenerSettings Settings, ListenerRouter Router)> Compile(LoadBalancingSnapshot snapshot)
    {
        var wanted = new Dictionary<IPEndPoint, (ListenerSettings, ListenerRouter)>();
        foreach (var balancer in snapshot.LoadBalancers)
        {
            if (balancer.IsNetwork)
            {
                continue;
            }

            foreach (var listener in balancer.Listeners)
            {
                if (listener.Protocol is not ("HTTP" or "HTTPS"))
                {
                    continue;
                }

                var settings = ListenerSettings.Of(balancer, listener);
                if (settings.Https && settings.Certificate is null)
                {
                    LogNoCertificate(_logger, listener.Arn);
                    continue;
                }

                var actions = new RuleActions(_forwarder, _groups, snapshot, settings.IdleTimeout);
                wanted[settings.Endpoint] = (settings, ListenerRouter.Compile(listener, actions));
            }
        }

        return wanted;
    }

    private async Task OpenAsync(ListenerSettings settings, ListenerRouter router, CancellationToken cancellationToken)
    {
        var endpoint = settings.Endpoint;
        if (_closing.TryGetValue(endpoint, out var closing))
        {
            await closing;
        }

        try
        {
            var listener = await ProxyListener.OpenAsync(settings, router, _quietLoggers, cancellationToken);
            lock (_open)
            {
                _open[endpoint] = listener;
            }

            LogOpened(_logger, endpoint, settings.Https ? "HTTPS" : "HTTP");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Cryptography.CryptographicException
            or ArgumentException or InvalidOperationException)
        {
            // Retried with the next snapshot: the listener is not open, so it is still wanted and new.
            LogOpenFailed(_logger, e, endpoint);
        }
    }

    private void Close(IPEndPoint endpoint, ProxyListener listener)
    {
        lock (_open)
        {
            _open.Remove(endpoint);
        }

        _closing[endpoint] = CloseAsync(endpoint, listener, _closing.GetValueOrDefault(endpoint));
    }

    private async Task CloseAsync(IPEndPoint endpoint, ProxyListener listener, Task? earlier)
    {
        if (earlier is not null)
        {
            await earlier;
        }

        try
        {
            await listener.DisposeAsync();
            LogClosed(_logger, endpoint);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogCloseFailed(_logger, e, endpoint);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Load balancer listener {Endpoint} ({Protocol}) open")]
    private static partial void LogOpened(ILogger logger, IPEndPoint endpoint, string protocol);

    [LoggerMessage(Level = LogLevel.Information, Message = "Load balancer listener {Endpoint} closed")]
    private static partial void LogClosed(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Load balancer listener {Endpoint} could not open; retrying with the next snapshot")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Load balancer listener {Endpoint} did not close cleanly")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTPS listener {ListenerArn} has no certificate; not opened")]
    private static partial void LogNoCertificate(ILogger logger, string listenerArn);
}
