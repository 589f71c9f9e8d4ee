using Gantry.Store.Postgres;
using Npgsql;

namespace Gantry.Logs.Postgres;

/// <summary>
/// The shared log store: the log tables in the PostgreSQL database every control plane replica uses, with the SQLite
/// store's semantics (tokens, orders, page bounds, filter patterns, source offsets, retention and purges in chunks).
/// Each call takes a pooled connection; writes are one transaction each and lock their group's row, so appends to
/// one group commit in event-id order across replicas and tokens never skip an event committed later.
/// </summary>
public sealed class PostgresLogStore : ILogStore
{
    private readonly NpgsqlDataSource _source;

    private PostgresLogStore(NpgsqlDataSource source) => _source = source;

    /// <summary>Connects and applies missing migrations of the log tables.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public static async Task<PostgresLogStore> OpenAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(builder.ConnectionStringBuilder.MaxAutoPrepare, 32);
        var source = builder.Build();
        try
        {
            await PostgresLogSchema.ApplyAsync(source, ct).ConfigureAwait(false);
            return new PostgresLogStore(source);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<bool> CreateGroupAsync(string group, long creationTime, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogWrites.CreateGroupAsync(c, group, creationTime, ct), ct);

    public async Task<bool> DeleteGroupAsync(string group, CancellationToken ct)
    {
        var deleted = await WithConnectionAsync(c => PostgresLogWrites.DeleteGroupAsync(c, group, ct), ct).ConfigureAwait(false);
        await PurgeAsync(ct).ConfigureAwait(false);
        return deleted;
    }

    public Task<LogPage<LogGroupInfo>> DescribeGroupsAsync(string? namePrefix, string? namePattern, string? nextToken, int limit, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogReads.DescribeGroupsAsync(c, namePrefix, namePattern, nextToken, limit, ct), ct);

    public Task<LogGroupInfo?> GetGroupAsync(string group, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogReads.GetGroupAsync(c, group, ct), ct);

    public Task<bool> SetRetentionAsync(string group, int? retentionInDays, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogWrites.SetRetentionAsync(c, group, retentionInDays, ct), ct);

    public Task<StreamOutcome> CreateStreamAsync(string group, string stream, long creationTime, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogWrites.CreateStreamAsync(c, group, stream, creationTime, ct), ct);

    public async Task<StreamOutcome> DeleteStreamAsync(string group, string stream, CancellationToken ct)
    {
        var outcome = await WithConnectionAsync(c => PostgresLogWrites.DeleteStreamAsync(c, group, stream, ct), ct).ConfigureAwait(false);
        await PurgeAsync(ct).ConfigureAwait(false);
        return outcome;
    }

    public Task<LogPage<LogStreamInfo>?> DescribeStreamsAsync(string group, string? namePrefix, bool orderByLastEventTime, bool descending,
        string? nextToken, int limit, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogReads.DescribeStreamsAsync(c, group, namePrefix, orderByLastEventTime, descending, nextToken, limit, ct), ct);

    public Task<AppendResult> AppendAsync(string group, string stream, IReadOnlyList<NewLogEvent> events, long ingestionTime,
        bool createMissing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        return WithConnectionAsync(c => PostgresLogWrites.AppendAsync(c, group, stream, events, ingestionTime, createMissing, ct), ct);
    }

    public Task<AppendResult> GetSourceOffsetAsync(string group, string stream, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogReads.GetSourceOffsetAsync(c, group, stream, ct), ct);

    public Task<StreamEventsPage> GetStreamEventsAsync(string group, string stream, long? startTime, long? endTime, bool startFromHead,
        string? token, int limit, CancellationToken ct) =>
        WithConnectionAsync(c => PostgresLogReads.StreamEventsAsync(c, group, stream, startTime, endTime, startFromHead, token, limit, ct), ct);

    public Task<FilteredEventsPage?> FilterEventsAsync(string group, IReadOnlyList<string>? streamNames, string? streamNamePrefix,
        long? startTime, long? endTime, FilterPattern pattern, string? nextToken, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return WithConnectionAsync(c => PostgresLogReads.FilterEventsAsync(c, group, streamNames, streamNamePrefix, startTime, endTime, pattern, nextToken, limit, ct), ct);
    }

    /// <summary>Also finishes purging the events of deleted groups and streams (after a crash mid-purge, on any replica).</summary>
    public async Task<long> DeleteExpiredAsync(long now, CancellationToken ct)
    {
        await PurgeAsync(ct).ConfigureAwait(false);
        var deleted = 0L;
        foreach (var (groupId, days) in await WithConnectionAsync(c => PostgresLogWrites.RetentionGroupsAsync(c, ct), ct).ConfigureAwait(false))
        {
            var cutoff = now - (days * LogLimits.MillisecondsPerDay);
            int chunk;
            do
            {
                chunk = await WithConnectionAsync(c => PostgresLogWrites.ExpireChunkAsync(c, groupId, cutoff, ct), ct).ConfigureAwait(false);
                deleted += chunk;
            }
            while (chunk == LogLimits.DeleteChunk);
        }
        return deleted;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>Deletes queued events of deleted groups and streams, one chunk per transaction.</summary>
    private async Task PurgeAsync(CancellationToken ct)
    {
        while (await WithConnectionAsync(c => PostgresLogWrites.PurgeChunkAsync(c, ct), ct).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; PostgreSQL out of reach is <see cref="Store.StoreUnavailableException"/>.</summary>
    private Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct) => PostgresFaults.GuardAsync(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    });
}
