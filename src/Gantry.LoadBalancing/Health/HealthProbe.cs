using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Gantry.LoadBalancing.Health;

/// <summary>
/// One health check on a new connection: a TCP connect, or an HTTP(S) <c>GET</c> of the path whose status must match
/// the group's matcher, all within the check's timeout.
/// </summary>
public sealed class HealthProbe(TimeProvider time) : IHealthProbe
{
    private const int MaxStatusLineBytes = 1024;

    public async Task<ProbeOutcome> CheckAsync(HealthCheckSettings settings, IPEndPoint target, CancellationToken ct)
    {
        var endpoint = new IPEndPoint(target.Address, settings.PortFor(target.Port));
        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
            if (settings.Protocol is not ("HTTP" or "HTTPS"))
            {
                return ProbeOutcome.Pass;
            }
            await using var network = new NetworkStream(socket, ownsSocket: false);
            Stream stream = network;
            if (settings.Protocol == "HTTPS")
            {
#pragma warning disable CA5359 // ELB does not validate targets' certificates: health checks accept any
                var tls = new SslStream(network, leaveInnerStreamOpen: true, (_, _, _, _) => true);
#pragma warning restore CA5359
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Address.ToString() }, linked.Token).ConfigureAwait(false);
                stream = tls;
            }
            await using (stream.ConfigureAwait(false))
            {
                var code = await GetStatusAsync(stream, settings.Path, endpoint, linked.Token).ConfigureAwait(false);
                return code is not { } status ? ProbeOutcome.Failed : settings.Matcher.Matches(status) ? ProbeOutcome.Pass : ProbeOutcome.CodeMismatch(status);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return ProbeOutcome.TimedOut;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return ProbeOutcome.Failed;
        }
    }

    private static async Task<int?> GetStatusAsync(Stream stream, string path, IPEndPoint endpoint, CancellationToken ct)
    {
        var request = string.Create(CultureInfo.InvariantCulture,
            $"GET {path} HTTP/1.1\r\nHost: {endpoint}\r\nUser-Agent: ELB-HealthChecker/2.0\r\nAccept: */*\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        var buffer = new byte[MaxStatusLineBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0)
            {
                break;
            }
        }
        return ParseStatus(Encoding.ASCII.GetString(buffer, 0, length));
    }

    /// <summary>The status code of an HTTP/1.x status line like <c>HTTP/1.1 200 OK</c>, or null when malformed.</summary>
    internal static int? ParseStatus(string response)
    {
        var end = response.IndexOf('\n', StringComparison.Ordinal);
        if (end < 0 || !response.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = response[..end].TrimEnd('\r').Split(' ', 3);
        return parts.Length >= 2 && parts[1].Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }
}
