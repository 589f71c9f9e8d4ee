using Gantry.LoadBalancing.Http;
using Gantry.LoadBalancing.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.LoadBalancing.Tests.Http;

/// <summary>A real <see cref="HttpListenerSet"/>, its fake health and the test targets behind it, disposed together.</summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly List<TestTarget> _targets = [];

    public FakeTargetHealth Health { get; } = new();

    public HttpListenerSet Set { get; }

    public int Port { get; } = Snapshots.FreePort();

    public HttpClient Client { get; } = Snapshots.Client();

    public Uri Url(string pathAndQuery = "/") => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    public ProxyHarness() => Set = new HttpListenerSet(Health, TimeProvider.System, NullLoggerFactory.Instance);

    public async Task<TestTarget> TargetAsync(string name, bool http2 = false)
    {
        var target = await TestTarget.StartAsync(name, http2);
        _targets.Add(target);
        return target;
    }

    public Task ApplyAsync(LoadBalancingSnapshot snapshot) => Set.ApplyAsync(snapshot, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<string> GetTargetAsync(string pathAndQuery = "/")
    {
        using var response = await Client.GetAsync(Url(pathAndQuery));
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Target").Single();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Set.DisposeAsync();
        foreach (var target in _targets)
        {
            await target.DisposeAsync();
        }
    }
}
