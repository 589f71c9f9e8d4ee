using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gantry.Auth.Keys;
using Gantry.Auth.SigV4;

namespace Gantry.Api.Tests.Front;

/// <summary>
/// HTTP/1.1 by hand on a raw socket, signed over exactly the headers and payload hash a test chooses: requests no
/// well-behaved client sends (unsigned targets, UNSIGNED-PAYLOAD, bodies shorter than their Content-Length).
/// </summary>
internal sealed class RawHttpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawHttpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawHttpClient> ConnectAsync(Uri endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(TimeSpan.FromSeconds(10));
        return new RawHttpClient(socket);
    }

    /// <summary>
    /// The headers of a JSON call (host, content-type, x-amz-target, x-amz-date) plus an Authorization signed over
    /// <paramref name="signed"/> only, with <paramref name="payloadHash"/> as the body's hash.
    /// </summary>
    public static Dictionary<string, string> SignedHeaders(Uri endpoint, AccessKey key, string target, IReadOnlyList<string> signed, string payloadHash,
        string region = "us-east-1", string service = "ecs")
    {
        var amzDate = DateTimeOffset.UtcNow.ToString(SigV4Canonical.DateFormat, CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>
        {
            ["host"] = endpoint.Authority,
            ["content-type"] = "application/x-amz-json-1.1",
            ["x-amz-target"] = target,
            ["x-amz-date"] = amzDate,
        };
        if (payloadHash == SigV4Canonical.UnsignedPayload)
        {
            headers["x-amz-content-sha256"] = payloadHash;
        }
        var names = signed.Order(StringComparer.Ordinal).ToList();
        var canonical = SigV4Canonical.CanonicalRequest("POST", "/", null, names, headers.GetValueOrDefault, payloadHash);
        var scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        var signature = SigV4Canonical.Signature(SigV4Canonical.SigningKey(key.SecretAccessKey, amzDate[..8], region, service),
            SigV4Canonical.StringToSign(amzDate, scope, canonical));
        headers["authorization"] = $"{SigV4Canonical.Algorithm} Credential={key.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', names)}, Signature={signature}";
        return headers;
    }

    public async Task SendHeadAsync(IReadOnlyDictionary<string, string> headers, long contentLength)
    {
        var head = new StringBuilder("POST / HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        head.Append("content-length: ").Append(contentLength).Append("\r\n\r\n");
        await SendAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Half-closes: the server sees the end of the body.</summary>
    public void EndSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response (Content-Length framed), failing after <paramref name="bound"/>.</summary>
    public async Task<RawResponse> ReadResponseAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The server closed the connection without answering.");
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
        var lines = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray()).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var chunked = headers.GetValueOrDefault("transfer-encoding") == "chunked";
        var length = chunked ? -1 : int.Parse(headers.GetValueOrDefault("content-length", "0"), CultureInfo.InvariantCulture);
        var content = received.Skip(headEnd + 4).ToList();
        while (chunked ? Dechunk(content) is null : content.Count < length)
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The server closed the connection mid-response.");
            }
            content.AddRange(buffer.AsSpan(0, read));
        }
        var body = chunked ? Dechunk(content)! : Encoding.UTF8.GetString(content.GetRange(0, length).ToArray());
        return new RawResponse(int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), headers, body);
    }

    /// <summary>The decoded body once the last chunk has arrived; null before.</summary>
    private static string? Dechunk(List<byte> content)
    {
        var text = Encoding.UTF8.GetString(content.ToArray());
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return null;
            }
            var size = int.Parse(text[at..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }
            if (text.Length < lineEnd + 2 + size + 2)
            {
                return null;
            }
            body.Append(text, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}

internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public string ErrorType => JsonDocument.Parse(Body).RootElement.GetProperty("__type").GetString()!;

    public string Message => JsonDocument.Parse(Body).RootElement.GetProperty("message").GetString()!;
}
