using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>
/// The task metadata endpoint v4 over HTTP: a small Kestrel host on the node bridge's metadata address (port 80), so
/// tasks reach it through their default route and host-network tasks directly. Started and stopped with the agent.
/// </summary>
public sealed class MetadataServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetadataServer(WebApplication app) => _app = app;

    /// <summary>Where it listens (the bound port when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.None, 0);

    public static async Task<MetadataServer> StartAsync(IPEndPoint listen, MetadataService service, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(service);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var v4 = app.MapGroup("/v4");
        v4.MapGet("/{id}", (string id, HttpContext http) => service.Handle(id, MetadataRoute.Container, http.Connection.RemoteIpAddress));
        v4.MapGet("/{id}/task", (string id, HttpContext http) => service.Handle(id, MetadataRoute.Task, http.Connection.RemoteIpAddress));
        v4.MapGet("/{id}/taskWithTags", (string id, HttpContext http) => service.Handle(id, MetadataRoute.TaskWithTags, http.Connection.RemoteIpAddress));
        v4.MapGet("/{id}/stats", (string id, HttpContext http) => service.Handle(id, MetadataRoute.ContainerStats, http.Connection.RemoteIpAddress));
        v4.MapGet("/{id}/task/stats", (string id, HttpContext http) => service.Handle(id, MetadataRoute.TaskStats, http.Connection.RemoteIpAddress));
        v4.MapGet("/", (HttpContext http) => service.Handle("", MetadataRoute.Container, http.Connection.RemoteIpAddress));
        var server = new MetadataServer(app);
        await app.StartAsync(ct).ConfigureAwait(false);
        server.Endpoint = ListeningOn(app, listen);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IPEndPoint ListeningOn(WebApplication app, IPEndPoint asked)
    {
        var address = app.Urls.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? new IPEndPoint(asked.Address, uri.Port) : asked;
    }
}
