using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Gantry.Logs.Sqlite;

/// <summary>
/// The single write connection with its prepared statements. Not thread-safe: the store calls it under its
/// write lock. Every public method is one transaction.
/// </summary>
internal sealed class LogWriter : LogConnection
{
    /// <summary>Rows per multi-row INSERT: one statement execution costs more than binding a row.</summary>
    private const int RowsPerInsert = 64;

    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _insertEvents;
    private long _nextEventId;

    public LogWriter(string connectionString)
        : base(connectionString)
    {
        try
        {
            LogSchema.Scalar(Connection, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -32768;");
            LogSchema.Apply(Connection);
            var recorded = Convert.ToInt64(LogSchema.Scalar(Connection, null, "SELECT value FROM meta WHERE name = 'next_event_id'"), CultureInfo.InvariantCulture);
            var maxId = Convert.ToInt64(LogSchema.Scalar(Connection, null, "SELECT coalesce(max(id), 0) FROM events"), CultureInfo.InvariantCulture);
            _nextEventId = Math.Max(recorded, maxId + 1);
            _insertEvent = InsertEvents(1);
            _insertEvents = InsertEvents(RowsPerInsert);
        }
        catch
        {
            Connection.Dispose();
            throw;
        }
    }

    public bool CreateGroup(string group, long creationTime) => InTransaction(() =>
        Execute("INSERT OR IGNORE INTO groups (name, creation_time) VALUES ($name, $time)", ("$name", group), ("$time", creationTime)) == 1);

    /// <summary>Deletes the group and its streams at once and queues its events for <see cref="PurgeChunk"/>.</summary>
    public bool DeleteGroup(string group) => InTransaction(() =>
    {
        if (FindGroup(group) is not { } groupId)
        {
            return false;
        }
        Execute("DELETE FROM streams WHERE group_id = $group", ("$group", groupId));
        Execute("DELETE FROM groups WHERE id = $group", ("$group", groupId));
        Execute("INSERT OR IGNORE INTO purges (kind, id) VALUES ('group', $group)", ("$group", groupId));
        return true;
    });

    public bool SetRetention(string group, int? retentionInDays) => InTransaction(() =>
        Execute("UPDATE groups SET retention_days = $days WHERE name = $name", ("$days", retentionInDays), ("$name", group)) == 1);

    public StreamOutcome CreateStream(string group, string stream, long creationTime) => InTransaction(() =>
    {
        if (FindGroup(group) is not { } groupId)
        {
            return StreamOutcome.GroupNotFound;
        }
        return Execute("INSERT OR IGNORE INTO streams (group_id, name, creation_time) VALUES ($group, $name, $time)",
            ("$group", groupId), ("$name", stream), ("$time", creationTime)) == 1 ? StreamOutcome.Done : StreamOutcome.StreamExists;
    });

    /// <summary>Deletes the stream at once (its bytes leave the group) and queues its events for <see cref="PurgeChunk"/>.</summary>
    public StreamOutcome DeleteStream(string group, string stream) => InTransaction(() =>
    {
        if (FindGroup(group) is not { } groupId)
        {
            return StreamOutcome.GroupNotFound;
        }
        if (FindStream(groupId, stream) is not { } found)
        {
            return StreamOutcome.StreamNotFound;
        }
        Execute("UPDATE groups SET stored_bytes = stored_bytes - (SELECT stored_bytes FROM streams WHERE id = $stream) WHERE id = $group",
            ("$stream", found.Id), ("$group", groupId));
        Execute("DELETE FROM streams WHERE id = $stream", ("$stream", found.Id));
        Execute("INSERT OR IGNORE INTO purges (kind, id) VALUES ('stream', $stream)", ("$stream", found.Id));
        return StreamOutcome.Done;
    });

    public AppendResult Append(string group, string stream, IReadOnlyList<NewLogEvent> events, long ingestionTime, bool createMissing)
    {
        var nextId = _nextEventId;
        var result = InTransaction(() =>
        {
            var groupId = FindGroup(group);
            if (groupId is null)
            {
                if (!createMissing)
                {
                    return new AppendResult(StreamOutcome.GroupNotFound, 0, 0);
                }
                Execute("INSERT INTO groups (name, creation_time) VALUES ($name, $time)", ("$name", group), ("$time", ingestionTime));
                groupId = FindGroup(group);
            }
            var found = FindStream(groupId!.Value, stream);
            if (found is null)
            {
                if (!createMissing)
                {
                    return new AppendResult(StreamOutcome.StreamNotFound, 0, 0);
                }
                Execute("INSERT INTO streams (group_id, name, creation_time) VALUES ($group, $name, $time)",
                    ("$group", groupId), ("$name", stream), ("$time", ingestionTime));
                found = FindStream(groupId.Value, stream);
            }
            var (streamId, offset) = found!.Value;
            var accepted = new List<NewLogEvent>(events.Count);
            long bytes = 0, firstTs = long.MaxValue, lastTs = long.MinValue;
            foreach (var logEvent in events)
            {
                if (logEvent.SourceOffset > 0 && logEvent.SourceOffset <= offset)
                {
                    continue;
                }
                offset = Math.Max(offset, logEvent.SourceOffset);
                accepted.Add(logEvent);
                bytes += Encoding.UTF8.GetByteCount(logEvent.Message);
                firstTs = Math.Min(firstTs, logEvent.Timestamp);
                lastTs = Math.Max(lastTs, logEvent.Timestamp);
            }
            var stored = accepted.Count;
            for (var start = 0; start < stored;)
            {
                var insert = stored - start >= RowsPerInsert ? _insertEvents : _insertEvent;
                var rows = insert == _insertEvents ? RowsPerInsert : 1;
                insert.Transaction = Transaction;
                insert.Parameters[0].Value = groupId.Value;
                insert.Parameters[1].Value = streamId;
                insert.Parameters[2].Value = ingestionTime;
                for (var row = 0; row < rows; row++, start++)
                {
                    insert.Parameters[3 + (3 * row)].Value = nextId++;
                    insert.Parameters[4 + (3 * row)].Value = accepted[start].Timestamp;
                    insert.Parameters[5 + (3 * row)].Value = accepted[start].Message;
                }
                insert.ExecuteNonQuery();
            }
            if (stored > 0)
            {
                Execute("""
                    UPDATE streams SET first_ts = min(coalesce(first_ts, $first), $first), last_ts = max(coalesce(last_ts, $last), $last),
                        last_ingestion = $ingestion, stored_bytes = stored_bytes + $bytes, source_offset = $offset
                    WHERE id = $stream
                    """, ("$first", firstTs), ("$last", lastTs), ("$ingestion", ingestionTime), ("$bytes", bytes), ("$offset", offset), ("$stream", streamId));
                Execute("UPDATE groups SET stored_bytes = stored_bytes + $bytes WHERE id = $group", ("$bytes", bytes), ("$group", groupId));
                Execute("UPDATE meta SET value = $next WHERE name = 'next_event_id'", ("$next", nextId));
            }
            return new AppendResult(StreamOutcome.Done, offset, stored);
        });
        _nextEventId = nextId;
        return result;
    }

    /// <summary>Deletes up to one chunk of a deleted group's or stream's events; false when nothing is left to purge.</summary>
    public bool PurgeChunk() => InTransaction(() =>
    {
        using var next = Prepared("SELECT kind, id FROM purges LIMIT 1").ExecuteReader();
        if (!next.Read())
        {
            return false;
        }
        var (kind, id) = (next.GetString(0), next.GetInt64(1));
        next.Close();
        var column = kind == "group" ? "group_id" : "stream_id";
        var deleted = Execute($"DELETE FROM events WHERE id IN (SELECT id FROM events WHERE {column} = $id LIMIT {LogLimits.DeleteChunk})", ("$id", id));
        if (deleted < LogLimits.DeleteChunk)
        {
            Execute("DELETE FROM purges WHERE kind = $kind AND id = $id", ("$kind", kind), ("$id", id));
        }
        return true;
    });

    public IReadOnlyList<(long GroupId, int RetentionDays)> RetentionGroups()
    {
        var result = new List<(long, int)>();
        using var rows = Prepared("SELECT id, retention_days FROM groups WHERE retention_days IS NOT NULL ORDER BY id").ExecuteReader();
        while (rows.Read())
        {
            result.Add((rows.GetInt64(0), rows.GetInt32(1)));
        }
        return result;
    }

    /// <summary>Deletes up to one chunk of the group's events older than <paramref name="cutoff"/>, keeping stored bytes right.</summary>
    public int ExpireChunk(long groupId, long cutoff) => InTransaction(() =>
    {
        var freed = new Dictionary<long, long>();
        var deleted = 0;
        var delete = Prepared($"""
            DELETE FROM events WHERE id IN (SELECT id FROM events WHERE group_id = $group AND ts < $cutoff ORDER BY ts LIMIT {LogLimits.DeleteChunk})
            RETURNING stream_id, length(CAST(message AS BLOB))
            """);
        delete.Parameters.AddWithValue("$group", groupId);
        delete.Parameters.AddWithValue("$cutoff", cutoff);
        using (var rows = delete.ExecuteReader())
        {
            while (rows.Read())
            {
                deleted++;
                freed[rows.GetInt64(0)] = freed.GetValueOrDefault(rows.GetInt64(0)) + rows.GetInt64(1);
            }
        }
        var total = 0L;
        foreach (var (streamId, bytes) in freed)
        {
            total += bytes;
            Execute("""
                UPDATE streams SET stored_bytes = stored_bytes - $bytes,
                    first_ts = coalesce((SELECT min(ts) FROM events WHERE stream_id = $stream), first_ts)
                WHERE id = $stream
                """, ("$bytes", bytes), ("$stream", streamId));
        }
        if (total > 0)
        {
            Execute("UPDATE groups SET stored_bytes = stored_bytes - $bytes WHERE id = $group", ("$bytes", total), ("$group", groupId));
        }
        return deleted;
    });

    public override void Dispose()
    {
        _insertEvent.Dispose();
        _insertEvents.Dispose();
        base.Dispose();
    }

    /// <summary>A prepared INSERT of <paramref name="rows"/> events: $group, $stream, $ingestion, then $id, $ts, $message per row.</summary>
    private SqliteCommand InsertEvents(int rows)
    {
        var command = Connection.CreateCommand();
        command.CommandText = "INSERT INTO events (id, group_id, stream_id, ts, ingestion, message) VALUES "
            + string.Join(", ", Enumerable.Range(0, rows).Select(row => string.Create(CultureInfo.InvariantCulture, $"($id{row}, $group, $stream, $ts{row}, $ingestion, $message{row})")));
        command.Parameters.Add("$group", SqliteType.Integer);
        command.Parameters.Add("$stream", SqliteType.Integer);
        command.Parameters.Add("$ingestion", SqliteType.Integer);
        for (var row = 0; row < rows; row++)
        {
            command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$id{row}"), SqliteType.Integer);
            command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$ts{row}"), SqliteType.Integer);
            command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$message{row}"), SqliteType.Text);
        }
        command.Prepare();
        return command;
    }

    private T InTransaction<T>(Func<T> work)
    {
        Transaction = Connection.BeginTransaction();
        try
        {
            var result = work();
            Transaction.Commit();
            return result;
        }
        finally
        {
            Transaction.Dispose();
            Transaction = null;
        }
    }

    private int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Prepared(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command.ExecuteNonQuery();
    }
}
