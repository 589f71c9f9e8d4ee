using System.Collections.Concurrent;
using Gantry.Auth.Keys;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Health;
using Gantry.LoadBalancing.Hosts;
using Gantry.LoadBalancing.State;
using Gantry.LoadBalancing.Tests.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.LoadBalancing.Tests;

public sealed class LoadBalancingDataPlaneTests
{
    [Fact]
    public async Task Follows_the_store_survives_a_failing_listener_set_and_cleans_up_on_stop()
    {
        await using var store = await TempStore.OpenAsync();
        var directory = Directory.CreateTempSubdirectory("gantry-dp-").FullName;
        try
        {
            var hostsPath = Path.Combine(directory, "hosts");
            await File.WriteAllTextAsync(hostsPath, "127.0.0.1 localhost\n");
            var listeners = new RecordingListenerSet { FailuresLeft = 1 };
            var time = TimeProvider.System;
            var dataPlane = new LoadBalancingDataPlane(new SnapshotReader(store.Documents, new MasterKey(new byte[32])), store.Documents.Store, [listeners],
                new TargetHealthChecker(store.Documents, new HealthProbe(time), time, NullLogger<TargetHealthChecker>.Instance),
                new HostsFile("test", hostsPath), time, NullLogger<LoadBalancingDataPlane>.Instance);
            using var stop = new CancellationTokenSource();
            var running = dataPlane.RunAsync(stop.Token);

            await store.PutAsync(ElbKinds.LoadBalancer, "front", ElbFixtures.Balancer("front", "127.0.0.7"));

            await WaitForAsync(() => listeners.Applied.Any(s => s.LoadBalancers.Count == 1));
            await WaitForAsync(() => File.ReadAllText(hostsPath).Contains("127.0.0.7 front-", StringComparison.Ordinal));
            Assert.Single(dataPlane.Current.LoadBalancers);

            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(listeners.Disposed);
            Assert.Equal("127.0.0.1 localhost\n", await File.ReadAllTextAsync(hostsPath));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Changes_compacted_before_it_read_them_make_it_read_the_whole_snapshot_again_at_once()
    {
        await using var store = await TempStore.OpenAsync();
        var time = new FakeTimeProvider(ElbFixtures.Registered);
        var listeners = new RecordingListenerSet();
        var log = new LevelLogger();
        var dataPlane = new LoadBalancingDataPlane(new SnapshotReader(store.Documents, new MasterKey(new byte[32])), store.Documents.Store, [listeners],
            new TargetHealthChecker(store.Documents, new HealthProbe(time), time, NullLogger<TargetHealthChecker>.Instance), null, time, log);
        using var stop = new CancellationTokenSource();
        var running = dataPlane.RunAsync(stop.Token);
        await WaitForAsync(() => !listeners.Applied.IsEmpty);

        // Woken by the first commit, it waits out the debounce (fake time) while the balancer is written and every change
        // so far is compacted away: the changes it then asks for are gone.
        await store.PutAsync("unrelated", "k", "v");
        await store.PutAsync(ElbKinds.LoadBalancer, "front", ElbFixtures.Balancer("front", "127.0.0.7"));
        await store.Documents.Store.CompactChangesAsync(store.Documents.Store.CurrentRevision, default);
        await WaitForAsync(() =>
        {
            time.Advance(LoadBalancingDataPlane.Debounce);
            return listeners.Applied.Any(s => s.LoadBalancers.Count == 1);
        });

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("compacted", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    private sealed class LevelLogger : ILogger<LoadBalancingDataPlane>
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }

    private sealed class RecordingListenerSet : IListenerSet
    {
        public ConcurrentQueue<LoadBalancingSnapshot> Applied { get; } = new();

        public int FailuresLeft { get; set; }

        public bool Disposed { get; private set; }

        public Task ApplyAsync(LoadBalancingSnapshot snapshot, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0)
            {
                throw new IOException("address in use");
            }
            Applied.Enqueue(snapshot);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
