using Gantry.Store.Sqlite;

namespace Gantry.Logs.Sqlite;

/// <summary>
/// The embedded log store: its own SQLite file in WAL mode with synchronous=FULL, so an append that returned
/// survives kill -9. One writer connection serialises writes under a lock (one transaction per append; deletes
/// of many events go in chunks, the lock released between them); reads use a pool of connections with
/// prepared statements and run concurrently with the writer.
/// </summary>
public sealed class SqliteLogStore : ILogStore
{
    private readonly SqlitePool<LogWriter, LogReader> _connections;

    private SqliteLogStore(string connectionString, LogWriter writer) =>
        _connections = new(writer, () => new LogReader(connectionString));

    /// <summary>Opens (creating if needed) the log database at <paramref name="path"/> and applies missing migrations.</summary>
    public static Task<SqliteLogStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        var connectionString = SqliteConnectionString.ForPrivateFile(path);
        return Task.FromResult(new SqliteLogStore(connectionString, new LogWriter(connectionString)));
    }

    public Task<bool> CreateGroupAsync(string group, long creationTime, CancellationToken ct) =>
        _connections.WriteAsync(writer => writer.CreateGroup(group, creationTime), ct);

    public async Task<bool> DeleteGroupAsync(string group, CancellationToken ct)
    {
        var deleted = await _connections.WriteAsync(writer => writer.DeleteGroup(group), ct).ConfigureAwait(false);
        await PurgeAsync(ct).ConfigureAwait(false);
        return deleted;
    }

    public Task<LogPage<LogGroupInfo>> DescribeGroupsAsync(string? namePrefix, string? namePattern, string? nextToken, int limit, CancellationToken ct) =>
        Task.FromResult(_connections.Read(reader => reader.DescribeGroups(namePrefix, namePattern, nextToken, limit)));

    public Task<LogGroupInfo?> GetGroupAsync(string group, CancellationToken ct) =>
        Task.FromResult(_connections.Read(reader => reader.GetGroup(group)));

    public Task<bool> SetRetentionAsync(string group, int? retentionInDays, CancellationToken ct) =>
        _connections.WriteAsync(writer => writer.SetRetention(group, retentionInDays), ct);

    public Task<StreamOutcome> CreateStreamAsync(string group, string stream, long creationTime, CancellationToken ct) =>
        _connections.WriteAsync(writer => writer.CreateStream(group, stream, creationTime), ct);

    public async Task<StreamOutcome> DeleteStreamAsync(string group, string stream, CancellationToken ct)
    {
        var outcome = await _connections.WriteAsync(writer => writer.DeleteStream(group, stream), ct).ConfigureAwait(false);
        await PurgeAsync(ct).ConfigureAwait(false);
        return outcome;
    }

    public Task<LogPage<LogStreamInfo>?> DescribeStreamsAsync(string group, string? namePrefix, bool orderByLastEventTime, bool descending,
        string? nextToken, int limit, CancellationToken ct) =>
        Task.FromResult(_connections.Read(reader => reader.DescribeStreams(group, namePrefix, orderByLastEventTime, descending, nextToken, limit)));

    public Task<AppendResult> AppendAsync(string group, string stream, IReadOnlyList<NewLogEvent> events, long ingestionTime,
        bool createMissing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        return _connections.WriteAsync(writer => writer.Append(group, stream, events, ingestionTime, createMissing), ct);
    }

    public Task<AppendResult> GetSourceOffsetAsync(string group, string stream, CancellationToken ct) =>
        Task.FromResult(_connections.Read(reader => reader.GetSourceOffset(group, stream)));

    public Task<StreamEventsPage> GetStreamEventsAsync(string group, string stream, long? startTime, long? endTime, bool startFromHead,
        string? token, int limit, CancellationToken ct) =>
        Task.FromResult(_connections.Read(reader => reader.StreamEvents(group, stream, startTime, endTime, startFromHead, token, limit)));

    public Task<FilteredEventsPage?> FilterEventsAsync(string group, IReadOnlyList<string>? streamNames, string? streamNamePrefix,
        long? startTime, long? endTime, FilterPattern pattern, string? nextToken, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Task.FromResult(_connections.Read(reader => reader.FilterEvents(group, streamNames, streamNamePrefix, startTime, endTime, pattern, nextToken, limit)));
    }

    /// <summary>Also finishes purging the events of deleted groups and streams (after a crash mid-purge).</summary>
    public async Task<long> DeleteExpiredAsync(long now, CancellationToken ct)
    {
        await PurgeAsync(ct).ConfigureAwait(false);
        var deleted = 0L;
        foreach (var (groupId, days) in await _connections.WriteAsync(writer => writer.RetentionGroups(), ct).ConfigureAwait(false))
        {
            var cutoff = now - (days * LogLimits.MillisecondsPerDay);
            int chunk;
            do
            {
                chunk = await _connections.WriteAsync(writer => writer.ExpireChunk(groupId, cutoff), ct).ConfigureAwait(false);
                deleted += chunk;
            }
            while (chunk == LogLimits.DeleteChunk);
        }
        return deleted;
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    /// <summary>Deletes queued events of deleted groups and streams, one chunk per hold of the write lock.</summary>
    private async Task PurgeAsync(CancellationToken ct)
    {
        while (await _connections.WriteAsync(writer => writer.PurgeChunk(), ct).ConfigureAwait(false))
        {
        }
    }
}
