using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests.Tools;

/// <summary>
/// A real dnsmasq on 127.0.0.1 and a free port, the upstream for forwarding tests: <c>*.example.test</c> is
/// 192.0.2.7, <c>host.example.test</c> 192.0.2.8, <c>*.nx.test</c> NXDOMAIN, anything else REFUSED.
/// </summary>
internal sealed class Dnsmasq : IAsyncDisposable
{
    private readonly Process _process;

    private Dnsmasq(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<Dnsmasq> StartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo(ExternalTool.Find("dnsmasq")!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--no-daemon", "--no-resolv", "--no-hosts", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--address=/example.test/192.0.2.7", "--address=/nx.test/", "--host-record=host.example.test,192.0.2.8", "--pid-file=",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dnsmasq = new Dnsmasq(process, new IPEndPoint(IPAddress.Loopback, port));
        await dnsmasq.WaitUntilAnsweringAsync();
        return dnsmasq;
    }

    /// <summary>Asks until dnsmasq answers (each try waits 200 ms for its answer; 10 s in all).</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var query = DnsMessage.Query(1, "host.example.test", DnsRecordType.A).Encode();
        var deadline = DateTime.UtcNow + DnsClient.Timeout;
        var buffer = new byte[512];
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"dnsmasq exited with {(_process.HasExited ? _process.ExitCode : 0)}");
            await socket.SendToAsync(query, SocketFlags.None, Endpoint);
            using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await socket.ReceiveAsync(buffer, SocketFlags.None, attempt.Token);
                return;
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new TimeoutException("dnsmasq did not answer within 10 s");
    }

    private static int FreePort()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(DnsClient.Timeout);
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.Dispose();
    }
}
