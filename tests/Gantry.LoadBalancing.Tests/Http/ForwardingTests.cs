using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed partial class ForwardingTests
{
    [Fact]
    public async Task The_target_sees_the_client_in_X_Forwarded_headers_and_a_trace_id()
    {
        await using var proxy = new ProxyHarness();
        var target = await proxy.TargetAsync("a");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])], Snapshots.Group("web", [target.View()])));

        using var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url("/x"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "web.example.com";
        using var response = await proxy.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        var seen = Assert.Single(target.Requests);
        Assert.Equal("203.0.113.9, 127.0.0.1", seen["X-Forwarded-For"].ToString());
        Assert.Equal("http", seen["X-Forwarded-Proto"].ToString());
        Assert.Equal(proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), seen["X-Forwarded-Port"].ToString());
        Assert.Equal("web.example.com", seen["Host"].ToString());
        Assert.Matches(TraceId(), seen["X-Amzn-Trace-Id"].ToString());
    }

    [Fact]
    public async Task Https_listeners_speak_HTTP2_by_ALPN_and_HTTP2_groups_reach_targets_over_HTTP2()
    {
        await using var proxy = new ProxyHarness();
        var target = await proxy.TargetAsync("h2", http2: true);
        var certificate = SelfSigned();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")], certificate: certificate)],
            Snapshots.Group("web", "HTTP2", [target.View()])));

        using var client = TrustingOnly(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{proxy.Port}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("h2", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(target.Requests);
        Assert.Equal("HTTP/2", seen["X-Test-Protocol"].ToString());
        Assert.Equal("https", seen["X-Forwarded-Proto"].ToString());
    }

    [Fact]
    public async Task Https_listeners_without_http2_routing_answer_HTTP1()
    {
        await using var proxy = new ProxyHarness();
        var certificate = SelfSigned();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "ok")], certificate: certificate)],
            [("routing.http2.enabled", "false")]));

        using var client = TrustingOnly(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{proxy.Port}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task WebSockets_pass_through()
    {
        await using var proxy = new ProxyHarness();
        var target = await proxy.TargetAsync("ws");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])], Snapshots.Group("web", [target.View()])));

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/ws"), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    [Fact]
    public async Task A_dead_target_answers_502_and_is_reported_for_passive_ejection()
    {
        await using var proxy = new ProxyHarness();
        var dead = new TargetView(new TargetKey("127.0.0.1", Snapshots.FreePort()), null, DateTimeOffset.UnixEpoch, null);
        dead = dead with { Endpoint = new IPEndPoint(IPAddress.Loopback, dead.Key.Port) };
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])], Snapshots.Group("web", [dead])));

        using var response = await proxy.Client.GetAsync(proxy.Url());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("502 Bad Gateway", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(dead.Key, Assert.Single(proxy.Health.Failures));
    }

    [Fact]
    public async Task A_target_slower_than_the_idle_timeout_answers_504()
    {
        await using var proxy = new ProxyHarness();
        var target = await proxy.TargetAsync("slow");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])], [("idle_timeout.timeout_seconds", "1")],
            Snapshots.Group("web", [target.View()])));

        using var response = await proxy.Client.GetAsync(proxy.Url("/slow"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Empty(proxy.Health.Failures);
    }

    /// <summary>A client that trusts exactly the listener's self-signed certificate.</summary>
    internal static HttpClient TrustingOnly(ListenerCertificate listener)
    {
        using var expected = X509Certificate2.CreateFromPem(listener.CertificatePem);
        var thumbprint = expected.Thumbprint;
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == thumbprint },
        });
    }

    internal static ListenerCertificate SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new ListenerCertificate("arn:aws:iam::000000000000:server-certificate/test", certificate.ExportCertificatePem(), null, key.ExportPkcs8PrivateKeyPem());
    }

    [GeneratedRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")]
    private static partial Regex TraceId();
}
