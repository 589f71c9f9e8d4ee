using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Supervision;

/// <summary>
/// Runs the control plane's named background loops (service controller, heartbeat monitor, retention, registry
/// lifecycle and GC). A loop that throws is logged with its name and started again after a backoff that doubles
/// from <see cref="FirstBackoff"/> up to <see cref="MaxBackoff"/>, and starts over once a run lasted
/// <see cref="HealthyAfter"/>. A loop that returns is done. Stopping cancels every loop and waits for them at most
/// <see cref="StopTimeout"/>; a loop that ignores cancellation is logged and left behind. Registered as a hosted
/// service, so stopping the web application stops the loops.
/// </summary>
public sealed partial class LoopSupervisor(TimeProvider time, ILogger<LoopSupervisor> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, Task> _loops = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task? _stopped;

    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Starts <paramref name="run"/> under supervision; <paramref name="name"/> names it in the log and must be unique.</summary>
    public void Start(string name, Func<CancellationToken, Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped is not null, this);
            if (_loops.ContainsKey(name))
            {
                throw new InvalidOperationException($"A loop named '{name}' already runs.");
            }
            var ct = _stopping.Token;
            _loops.Add(name, Task.Run(() => SuperviseAsync(name, run, ct), CancellationToken.None));
        }
    }

    /// <summary>Cancels every loop and waits for them, at most <see cref="StopTimeout"/>. Later calls return the first one's task.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped is null)
            {
                _stopping.Cancel();
                _stopped = WaitForLoopsAsync([.. _loops], cancellationToken);
            }
            return _stopped;
        }
    }

    private async Task WaitForLoopsAsync(KeyValuePair<string, Task>[] loops, CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(loops.Select(l => l.Value)).WaitAsync(StopTimeout, time, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            foreach (var (name, _) in loops.Where(l => !l.Value.IsCompleted))
            {
                LogStuck(logger, name, StopTimeout);
            }
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(string name, Func<CancellationToken, Task> run, CancellationToken ct)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            var started = time.GetTimestamp();
            try
            {
                await run(ct).ConfigureAwait(false);
                if (!ct.IsCancellationRequested)
                {
                    LogEnded(logger, name);
                }
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (time.GetElapsedTime(started) >= HealthyAfter)
                {
                    backoff = FirstBackoff;
                }
                LogFailed(logger, e, name, backoff);
            }
            try
            {
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background loop {Loop} failed; restarting in {Backoff}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string loop, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Background loop {Loop} ended")]
    private static partial void LogEnded(ILogger logger, string loop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background loop {Loop} did not stop within {Timeout}; leaving it behind")]
    private static partial void LogStuck(ILogger logger, string loop, TimeSpan timeout);
}
