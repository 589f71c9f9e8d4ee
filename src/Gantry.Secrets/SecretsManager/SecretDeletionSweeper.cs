using Microsoft.Extensions.Logging;

namespace Gantry.Secrets.SecretsManager;

/// <summary>Removes secrets whose recovery window has ended, every <see cref="DefaultInterval"/> (until then they read as missing already).</summary>
public sealed partial class SecretDeletionSweeper(SecretVault vault, TimeProvider time, ILogger<SecretDeletionSweeper> logger)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    /// <summary>Sweeps every <paramref name="interval"/> until cancelled; a failed pass is logged and the next one runs.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var swept = await vault.SweepAsync(ct).ConfigureAwait(false);
                if (swept > 0)
                {
                    LogSwept(logger, swept);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} secrets whose recovery window ended")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping secrets scheduled for deletion failed; trying again on the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
