using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Learns the revisions other replicas commit: one connection LISTENs on the commit channel and reports each
/// notification's revision; after a lost connection it reconnects (with backoff) and reads the revision it may have
/// missed, since notifications sent while nobody listened are gone.
/// </summary>
internal sealed partial class PostgresChangeListener(NpgsqlDataSource source, Action<long> revisionSeen, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200), LastRetry = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    /// <summary>Listens once (so no commit after this returns goes unseen), then follows in the background.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var connection = await ListenAsync(ct).ConfigureAwait(false);
        _running = FollowAsync(connection, _stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, e) =>
            {
                if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
                {
                    revisionSeen(revision);
                }
            };
            await using (var listen = new NpgsqlCommand($"LISTEN {PostgresCommit.Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            revisionSeen(await PostgresReads.RevisionAsync(connection, ct).ConfigureAwait(false));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task FollowAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var retry = FirstRetry;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using (connection)
                {
                    while (true)
                    {
                        await connection.WaitAsync(ct).ConfigureAwait(false);
                        retry = FirstRetry;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                LogLost(logger, e);
            }
            while (true)
            {
                try
                {
                    await Task.Delay(retry, time, ct).ConfigureAwait(false);
                    connection = await ListenAsync(ct).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                    LogLost(logger, e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL change notifications; reconnecting")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
