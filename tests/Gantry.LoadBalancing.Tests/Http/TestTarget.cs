using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Gantry.LoadBalancing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.LoadBalancing.Tests.Http;

/// <summary>
/// A tiny HTTP target on 127.0.0.1: answers its name (header X-Target and body), records each request's headers,
/// holds <c>/slow</c> until released, and echoes WebSocket messages on <c>/ws</c>.
/// </summary>
internal sealed class TestTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestTarget(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    public ConcurrentQueue<IHeaderDictionary> Requests { get; } = new();

    /// <summary>Completes when a <c>/slow</c> request has reached this target.</summary>
    public Task SlowArrived => _slowArrived.Task;

    public TargetView View(DateTimeOffset? drainingSince = null) =>
        new(new TargetKey("127.0.0.1", Port), new IPEndPoint(IPAddress.Loopback, Port), DateTimeOffset.UnixEpoch, drainingSince);

    public void ReleaseSlow() => _release.TrySetResult();

    public static async Task<TestTarget> StartAsync(string name, bool http2 = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = http2 ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var target = new TestTarget(name, app);
        app.UseWebSockets();
        app.Run(target.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        target.Port = new Uri(address).Port;
        return target;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }

        var headers = new HeaderDictionary();
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value;
        }

        headers["X-Test-Protocol"] = context.Request.Protocol;
        Requests.Enqueue(headers);
        if (context.Request.Path == "/slow")
        {
            _slowArrived.TrySetResult();
            await _release.Task;
        }

        if (context.Request.Query.ContainsKey("set-app-cookie"))
        {
            context.Response.Headers.SetCookie = "session=abc; Path=/";
        }

        context.Response.Headers["X-Target"] = Name;
        await context.Response.WriteAsync(Name);
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseSlow();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
