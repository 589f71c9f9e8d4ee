using System.Text;
using Npgsql;

namespace Gantry.Logs.Postgres;

/// <summary>
/// The log store's writes, each one transaction. Every write to a group's rows first locks the group's row, so
/// appends to one group (from any replica) commit one after another in the order they took event ids, deletes and
/// retention never deadlock with them, and a stream's source offset is checked and moved by one append at a time.
/// </summary>
internal static class PostgresLogWrites
{
    private const string LockGroupByName = "SELECT id FROM log_groups WHERE name = $1 FOR UPDATE";

    public static async Task<bool> CreateGroupAsync(NpgsqlConnection connection, string group, long creationTime, CancellationToken ct) =>
        await Sql.On(connection, ct).ExecuteAsync("INSERT INTO log_groups (name, creation_time) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            group, creationTime).ConfigureAwait(false) == 1;

    /// <summary>Deletes the group and its streams at once and queues its events for <see cref="PurgeChunkAsync"/>.</summary>
    public static async Task<bool> DeleteGroupAsync(NpgsqlConnection connection, string group, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await Sql.On(connection, ct).ScalarAsync("DELETE FROM log_groups WHERE name = $1 RETURNING id", group).ConfigureAwait(false) is not long groupId)
        {
            return false;
        }
        await Sql.On(connection, ct).ExecuteAsync("DELETE FROM log_streams WHERE group_id = $1", groupId).ConfigureAwait(false);
        await Sql.On(connection, ct).ExecuteAsync("INSERT INTO log_purges (kind, id) VALUES ('group', $1) ON CONFLICT DO NOTHING", groupId).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    public static async Task<bool> SetRetentionAsync(NpgsqlConnection connection, string group, int? retentionInDays, CancellationToken ct) =>
        await Sql.On(connection, ct).ExecuteAsync("UPDATE log_groups SET retention_days = $1 WHERE name = $2", retentionInDays, group).ConfigureAwait(false) == 1;

    public static async Task<StreamOutcome> CreateStreamAsync(NpgsqlConnection connection, string group, string stream, long creationTime, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await Sql.On(connection, ct).ScalarAsync(LockGroupByName, group).ConfigureAwait(false) is not long groupId)
        {
            return StreamOutcome.GroupNotFound;
        }
        var created = await Sql.On(connection, ct).ExecuteAsync("INSERT INTO log_streams (group_id, name, creation_time) VALUES ($1, $2, $3) ON CONFLICT (group_id, name) DO NOTHING",
            groupId, stream, creationTime).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return created == 1 ? StreamOutcome.Done : StreamOutcome.StreamExists;
    }

    /// <summary>Deletes the stream at once (its bytes leave the group) and queues its events for <see cref="PurgeChunkAsync"/>.</summary>
    public static async Task<StreamOutcome> DeleteStreamAsync(NpgsqlConnection connection, string group, string stream, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await Sql.On(connection, ct).ScalarAsync(LockGroupByName, group).ConfigureAwait(false) is not long groupId)
        {
            return StreamOutcome.GroupNotFound;
        }
        long streamId, bytes;
        await using (var delete = Sql.Command(connection, "DELETE FROM log_streams WHERE group_id = $1 AND name = $2 RETURNING id, stored_bytes", groupId, stream))
        await using (var rows = await delete.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                return StreamOutcome.StreamNotFound;
            }
            (streamId, bytes) = (rows.GetInt64(0), rows.GetInt64(1));
        }
        await Sql.On(connection, ct).ExecuteAsync("UPDATE log_groups SET stored_bytes = stored_bytes - $1 WHERE id = $2", bytes, groupId).ConfigureAwait(false);
        await Sql.On(connection, ct).ExecuteAsync("INSERT INTO log_purges (kind, id) VALUES ('stream', $1) ON CONFLICT DO NOTHING", streamId).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return StreamOutcome.Done;
    }

    public static async Task<AppendResult> AppendAsync(NpgsqlConnection connection, string group, string stream, IReadOnlyList<NewLogEvent> events,
        long ingestionTime, bool createMissing, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var (groupId, found) = await LockGroupFindStreamAsync(connection, group, stream, ct).ConfigureAwait(false);
        if (groupId is null)
        {
            if (!createMissing)
            {
                return new AppendResult(StreamOutcome.GroupNotFound, 0, 0);
            }
            await Sql.On(connection, ct).ExecuteAsync("INSERT INTO log_groups (name, creation_time) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                group, ingestionTime).ConfigureAwait(false);
            (groupId, found) = await LockGroupFindStreamAsync(connection, group, stream, ct).ConfigureAwait(false);
        }
        if (found is null)
        {
            if (!createMissing)
            {
                return new AppendResult(StreamOutcome.StreamNotFound, 0, 0);
            }
            var streamId = (long)(await Sql.On(connection, ct).ScalarAsync("INSERT INTO log_streams (group_id, name, creation_time) VALUES ($1, $2, $3) RETURNING id", groupId, stream, ingestionTime).ConfigureAwait(false))!;
            found = (streamId, 0);
        }
        var (streamRow, offset) = found.Value;
        var timestamps = new List<long>(events.Count);
        var messages = new List<byte[]>(events.Count);
        long bytes = 0, firstTs = long.MaxValue, lastTs = long.MinValue;
        foreach (var logEvent in events)
        {
            if (logEvent.SourceOffset > 0 && logEvent.SourceOffset <= offset)
            {
                continue;
            }
            offset = Math.Max(offset, logEvent.SourceOffset);
            var message = Encoding.UTF8.GetBytes(logEvent.Message);
            timestamps.Add(logEvent.Timestamp);
            messages.Add(message);
            bytes += message.Length;
            firstTs = Math.Min(firstTs, logEvent.Timestamp);
            lastTs = Math.Max(lastTs, logEvent.Timestamp);
        }
        if (timestamps.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    BatchCommand("""
                        INSERT INTO log_events (id, group_id, stream_id, ts, ingestion, message)
                        SELECT nextval('log_event_ids'), $1, $2, e.ts, $3, e.message
                        FROM unnest($4::bigint[], $5::bytea[]) WITH ORDINALITY AS e(ts, message, n) ORDER BY e.n
                        """, groupId, streamRow, ingestionTime, timestamps.ToArray(), messages.ToArray()),
                    BatchCommand("""
                        UPDATE log_streams SET first_ts = least(coalesce(first_ts, $1), $1), last_ts = greatest(coalesce(last_ts, $2), $2),
                            last_ingestion = $3, stored_bytes = stored_bytes + $4, source_offset = $5
                        WHERE id = $6
                        """, firstTs, lastTs, ingestionTime, bytes, offset, streamRow),
                    BatchCommand("UPDATE log_groups SET stored_bytes = stored_bytes + $1 WHERE id = $2", bytes, groupId),
                },
            };
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return new AppendResult(StreamOutcome.Done, offset, timestamps.Count);
    }

    /// <summary>
    /// Deletes up to one chunk of a deleted group's or stream's events; false when nothing is left to purge (or what is
    /// left is being purged by another replica: each purge row is held by one purger at a time).
    /// </summary>
    public static async Task<bool> PurgeChunkAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        string kind;
        long id;
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var next = Sql.Command(connection, "SELECT kind, id FROM log_purges ORDER BY kind, id LIMIT 1 FOR UPDATE SKIP LOCKED"))
        await using (var rows = await next.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                return false;
            }
            (kind, id) = (rows.GetString(0), rows.GetInt64(1));
        }
        var column = kind == "group" ? "group_id" : "stream_id";
        var deleted = await Sql.On(connection, ct).ExecuteAsync($"DELETE FROM log_events WHERE id IN (SELECT id FROM log_events WHERE {column} = $1 LIMIT {LogLimits.DeleteChunk})", id).ConfigureAwait(false);
        if (deleted < LogLimits.DeleteChunk)
        {
            await Sql.On(connection, ct).ExecuteAsync("DELETE FROM log_purges WHERE kind = $1 AND id = $2", kind, id).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    public static async Task<IReadOnlyList<(long GroupId, int RetentionDays)>> RetentionGroupsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var result = new List<(long, int)>();
        await using var command = Sql.Command(connection, "SELECT id, retention_days FROM log_groups WHERE retention_days IS NOT NULL ORDER BY id");
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add((rows.GetInt64(0), rows.GetInt32(1)));
        }
        return result;
    }

    /// <summary>Deletes up to one chunk of the group's events older than <paramref name="cutoff"/>, keeping stored bytes right.</summary>
    public static async Task<int> ExpireChunkAsync(NpgsqlConnection connection, long groupId, long cutoff, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await Sql.On(connection, ct).ScalarAsync("SELECT id FROM log_groups WHERE id = $1 FOR UPDATE", groupId).ConfigureAwait(false) is null)
        {
            return 0;
        }
        var freed = new List<(long Stream, long Count, long Bytes)>();
        await using (var delete = Sql.Command(connection, $"""
            WITH gone AS (
                DELETE FROM log_events WHERE id IN (SELECT id FROM log_events WHERE group_id = $1 AND ts < $2 ORDER BY ts LIMIT {LogLimits.DeleteChunk})
                RETURNING stream_id, octet_length(message) AS bytes)
            SELECT stream_id, count(*), sum(bytes)::bigint FROM gone GROUP BY stream_id
            """, groupId, cutoff))
        await using (var rows = await delete.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                freed.Add((rows.GetInt64(0), rows.GetInt64(1), rows.GetInt64(2)));
            }
        }
        foreach (var (streamId, _, bytes) in freed)
        {
            await Sql.On(connection, ct).ExecuteAsync("""
                UPDATE log_streams SET stored_bytes = stored_bytes - $1,
                    first_ts = coalesce((SELECT min(ts) FROM log_events WHERE stream_id = $2), first_ts)
                WHERE id = $2
                """, bytes, streamId).ConfigureAwait(false);
        }
        var total = freed.Sum(f => f.Bytes);
        if (total > 0)
        {
            await Sql.On(connection, ct).ExecuteAsync("UPDATE log_groups SET stored_bytes = stored_bytes - $1 WHERE id = $2", total, groupId).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (int)freed.Sum(f => f.Count);
    }

    /// <summary>
    /// Locks the group's row, then finds the stream: (null, null) without the group. Two statements in one round trip:
    /// the stream is read after the lock is held, so its source offset is the one the last append to commit left.
    /// </summary>
    private static async Task<(long? GroupId, (long Id, long SourceOffset)? Stream)> LockGroupFindStreamAsync(NpgsqlConnection connection, string group,
        string stream, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                BatchCommand(LockGroupByName, group),
                BatchCommand("SELECT id, source_offset FROM log_streams WHERE group_id = (SELECT id FROM log_groups WHERE name = $1) AND name = $2", group, stream),
            },
        };
        await using var rows = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            return (null, null);
        }
        var groupId = rows.GetInt64(0);
        await rows.NextResultAsync(ct).ConfigureAwait(false);
        return (groupId, await rows.ReadAsync(ct).ConfigureAwait(false) ? (rows.GetInt64(0), rows.GetInt64(1)) : null);
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params ReadOnlySpan<object?> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
