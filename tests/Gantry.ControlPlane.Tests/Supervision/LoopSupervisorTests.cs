using System.Collections.Concurrent;
using Gantry.ControlPlane.Supervision;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Tests.Supervision;

public sealed class LoopSupervisorTests : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly ObservedTime _time = new();
    private readonly CapturingLogger<LoopSupervisor> _log = new();
    private readonly LoopSupervisor _supervisor;

    public LoopSupervisorTests() => _supervisor = new LoopSupervisor(_time, _log);

    public async ValueTask DisposeAsync()
    {
        var disposing = _supervisor.DisposeAsync().AsTask();
        _time.Advance(_supervisor.StopTimeout); // a test's stuck loop must not hold the test run
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_loop_that_throws_is_logged_by_name_and_restarted_after_the_first_backoff()
    {
        var attempts = new ConcurrentQueue<DateTimeOffset>();
        _supervisor.Start("service controller", async ct =>
        {
            attempts.Enqueue(_time.GetUtcNow());
            if (attempts.Count == 1)
            {
                throw new InvalidOperationException("the store went away");
            }
            await Task.Delay(Timeout.Infinite, ct);
        });

        await Until.TrueAsync(() => _time.Timers == 1, "the supervisor waits out the backoff");
        var failure = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("service controller", failure.Message, StringComparison.Ordinal);
        Assert.Equal("the store went away", failure.Exception?.Message);

        _time.Advance(TimeSpan.FromSeconds(1) - Tick);
        Assert.Single(attempts);
        _time.Advance(Tick);
        await Until.TrueAsync(() => attempts.Count == 2, "the loop runs again");
        Assert.Equal(TimeSpan.FromSeconds(1), attempts.Last() - attempts.First());
    }

    [Fact]
    public async Task The_backoff_doubles_up_to_its_cap()
    {
        var attempts = 0;
        _supervisor.Start("retention", _ =>
        {
            Interlocked.Increment(ref attempts);
            throw new IOException("disk full");
        });

        int[] expectedSeconds = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (var i = 0; i < expectedSeconds.Length; i++)
        {
            await Until.TrueAsync(() => _time.Timers == i + 1, $"backoff {i + 1} begins");
            _time.Advance(TimeSpan.FromSeconds(expectedSeconds[i]) - Tick);
            Assert.Equal(i + 1, Volatile.Read(ref attempts));
            _time.Advance(Tick);
            await Until.TrueAsync(() => Volatile.Read(ref attempts) == i + 2, $"attempt {i + 2} after {expectedSeconds[i]} s");
        }
        Assert.All(_log.Entries, e => Assert.Contains("retention", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_backoff_starts_over_after_a_healthy_run()
    {
        var attempts = 0;
        _supervisor.Start("heartbeats", async ct =>
        {
            if (Interlocked.Increment(ref attempts) == 2)
            {
                await Task.Delay(_supervisor.HealthyAfter, _time, ct);
            }
            throw new InvalidOperationException("lost");
        });

        await Until.TrueAsync(() => _time.Timers == 1, "first backoff");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until.TrueAsync(() => _time.Timers == 2, "the second run is under way");
        _time.Advance(_supervisor.HealthyAfter);
        await Until.TrueAsync(() => _time.Timers == 3, "backoff after the healthy run");

        _time.Advance(TimeSpan.FromSeconds(1) - Tick);
        Assert.Equal(2, Volatile.Read(ref attempts));
        _time.Advance(Tick);
        await Until.TrueAsync(() => Volatile.Read(ref attempts) == 3, "restarted after the first backoff again");
    }

    [Fact]
    public async Task A_loop_that_returns_is_not_restarted()
    {
        var attempts = 0;
        _supervisor.Start("registry gc", _ =>
        {
            Interlocked.Increment(ref attempts);
            return Task.CompletedTask;
        });

        await Until.TrueAsync(() => _log.Entries.Count == 1, "the end is logged");
        Assert.Equal(LogLevel.Information, _log.Entries[0].Level);
        Assert.Contains("registry gc", _log.Entries[0].Message, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, _time.Timers);
        Assert.Equal(1, Volatile.Read(ref attempts));
    }

    [Fact]
    public async Task Stopping_cancels_every_loop_and_waits_for_them()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = 0;
        var finished = 0;
        async Task Loop(CancellationToken ct)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                await release.Task; // cleaning up takes a while
                Interlocked.Increment(ref finished);
                throw;
            }
        }
        _supervisor.Start("lifecycle", Loop);
        _supervisor.Start("service controller", Loop);

        var stopping = _supervisor.StopAsync(CancellationToken.None);
        await Until.TrueAsync(() => Volatile.Read(ref cancelled) == 2, "both loops see the cancellation");
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Volatile.Read(ref finished));
        Assert.Empty(_log.Entries);
        Assert.Throws<ObjectDisposedException>(() => _supervisor.Start("late", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task A_loop_that_ignores_cancellation_does_not_hold_stopping_past_the_bound()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        _supervisor.Start("stubborn", _ =>
        {
            started.SetResult();
            return never.Task;
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = _supervisor.StopAsync(CancellationToken.None);
        await Until.TrueAsync(() => _time.Timers == 1, "stopping waits, bounded");
        _time.Advance(_supervisor.StopTimeout - Tick);
        Assert.False(stopping.IsCompleted);
        _time.Advance(Tick);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        var stuck = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, stuck.Level);
        Assert.Contains("stubborn", stuck.Message, StringComparison.Ordinal);
    }
}
