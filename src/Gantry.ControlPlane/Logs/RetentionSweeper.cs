using System.Threading.Channels;
using Gantry.Logs;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Logs;

/// <summary>
/// Enforces log groups' retention: deletes expired events every <c>interval</c>, and soon after a
/// retention policy is put (so shortening it takes effect without waiting for the next round).
/// </summary>
public sealed partial class RetentionSweeper(ILogStore store, TimeProvider time)
{
    /// <summary>How often log events older than their group's retention are deleted.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a sweep now (a no-op if one is already asked for).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>One sweep: deletes events older than their group's retention; returns how many.</summary>
    public Task<long> SweepAsync(CancellationToken ct) => store.DeleteExpiredAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), ct);

    public async Task RunAsync(TimeSpan interval, ILogger logger, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var deleted = await SweepAsync(ct).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        LogDeleted(logger, deleted);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tick.CancelAfter(interval);
                try
                {
                    await _wake.Reader.ReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} expired log events")]
    private static partial void LogDeleted(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
