using System.Security.Cryptography.X509Certificates;
using Gantry.LoadBalancing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing.Http.Listeners;

/// <summary>
/// One HTTP or HTTPS listener: a small Kestrel server on the listener's address and port whose requests are routed by
/// the current <see cref="ListenerRouter"/>, swapped atomically per snapshot. HTTPS offers HTTP/1.1 and HTTP/2 by ALPN;
/// cleartext HTTP serves HTTP/1.1 only (Kestrel cannot serve HTTP/1.1 and prior-knowledge h2c on one port).
/// </summary>
internal sealed class ProxyListener : IAsyncDisposable
{
    /// <summary>How long a closing listener lets its requests finish before cutting them.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private volatile ListenerRouter _router;

    private ProxyListener(ListenerSettings settings, WebApplication app, ListenerRouter router)
    {
        Settings = settings;
        _app = app;
        _router = router;
        app.Run(Handle);
    }

    public ListenerSettings Settings { get; }

    /// <summary>Routes the next requests with <paramref name="router"/>; requests already routed finish as they started.</summary>
    public void Use(ListenerRouter router) => _router = router;

    public static async Task<ProxyListener> OpenAsync(ListenerSettings settings, ListenerRouter router, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DrainTimeout);
        // Requests are handled without blocking, so socket completions may run them inline instead of hopping to the pool.
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        var certificate = settings.Certificate is { } pem ? Open(pem) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = settings.IdleTimeout;
            kestrel.Listen(settings.Endpoint, listen =>
            {
                if (certificate is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }

                listen.Protocols = settings.Http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate.Value.Leaf,
                    ServerCertificateChain = certificate.Value.Chain,
                });
            });
        });
        var app = builder.Build();
        var listener = new ProxyListener(settings, app, router);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return listener;
    }

    /// <summary>Stops accepting, lets requests in flight finish (up to the drain timeout), then releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private Task Handle(HttpContext context) => _router.HandleAsync(context);

    private static (X509Certificate2 Leaf, X509Certificate2Collection? Chain)? Open(ListenerCertificate pem)
    {
        var leaf = X509Certificate2.CreateFromPem(pem.CertificatePem, pem.PrivateKeyPem);
        if (string.IsNullOrWhiteSpace(pem.ChainPem))
        {
            return (leaf, null);
        }

        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(pem.ChainPem);
        return (leaf, chain);
    }
}
