using System.Text;
using Microsoft.Data.Sqlite;

namespace Gantry.Logs.Sqlite;

/// <summary>One pooled read connection with its prepared statements. Not thread-safe: one user at a time.</summary>
internal sealed class LogReader : LogConnection
{
    public LogReader(string connectionString)
        : base(connectionString)
    {
        LogSchema.Scalar(Connection, null, "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -16384; PRAGMA mmap_size = 1073741824;");
    }

    public LogGroupInfo? GetGroup(string group)
    {
        var command = Prepared("SELECT name, creation_time, retention_days, stored_bytes FROM groups WHERE name = $name");
        command.Parameters.AddWithValue("$name", group);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadGroup(rows) : null;
    }

    public LogPage<LogGroupInfo> DescribeGroups(string? namePrefix, string? namePattern, string? nextToken, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = nextToken is null ? null : LogTokens.ParseName(nextToken);
        var command = Prepared($"""
            SELECT name, creation_time, retention_days, stored_bytes FROM groups
            WHERE 1 {PrefixFilter(namePrefix)}
                {(string.IsNullOrEmpty(namePattern) ? "" : "AND instr(lower(name), lower($pattern)) > 0")}
                {(after is null ? "" : "AND name > $after")}
            ORDER BY name LIMIT $limit
            """);
        AddPrefix(command, namePrefix);
        if (!string.IsNullOrEmpty(namePattern))
        {
            command.Parameters.AddWithValue("$pattern", namePattern);
        }
        if (after is not null)
        {
            command.Parameters.AddWithValue("$after", after);
        }
        command.Parameters.AddWithValue("$limit", limit + 1);
        var groups = new List<LogGroupInfo>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            groups.Add(ReadGroup(rows));
        }
        return Page(groups, limit, last => LogTokens.Name(last.Name));
    }

    public LogPage<LogStreamInfo>? DescribeStreams(string group, string? namePrefix, bool orderByLastEventTime, bool descending, string? nextToken, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (FindGroup(group) is not { } groupId)
        {
            return null;
        }
        const string Columns = "name, creation_time, first_ts, last_ts, last_ingestion, stored_bytes";
        SqliteCommand command;
        if (orderByLastEventTime)
        {
            // Streams with events first (by last event time), then those without (by name), in the asked direction.
            var onward = descending ? "<" : ">";
            var cursor = nextToken is null ? ((bool, long, string)?)null : LogTokens.ParseLastEvent(nextToken);
            var direction = descending ? "DESC" : "ASC";
            command = Prepared($"""
                SELECT {Columns} FROM (SELECT *, last_ts IS NULL AS no_events, coalesce(last_ts, 0) AS last_key FROM streams WHERE group_id = $group {PrefixFilter(namePrefix)})
                WHERE 1 {(cursor is null ? "" : $"AND (no_events > $noEvents OR (no_events = $noEvents AND (last_key {onward} $lastKey OR (last_key = $lastKey AND name {onward} $name))))")}
                ORDER BY no_events, last_key {direction}, name {direction} LIMIT $limit
                """);
            AddPrefix(command, namePrefix);
            if (cursor is { } c)
            {
                command.Parameters.AddWithValue("$noEvents", c.Item1 ? 1 : 0);
                command.Parameters.AddWithValue("$lastKey", c.Item2);
                command.Parameters.AddWithValue("$name", c.Item3);
            }
        }
        else
        {
            var after = nextToken is null ? null : LogTokens.ParseName(nextToken);
            command = Prepared($"""
                SELECT {Columns} FROM streams WHERE group_id = $group {PrefixFilter(namePrefix)}
                    {(after is null ? "" : descending ? "AND name < $after" : "AND name > $after")}
                ORDER BY name {(descending ? "DESC" : "ASC")} LIMIT $limit
                """);
            AddPrefix(command, namePrefix);
            if (after is not null)
            {
                command.Parameters.AddWithValue("$after", after);
            }
        }
        command.Parameters.AddWithValue("$group", groupId);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var streams = new List<LogStreamInfo>();
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                streams.Add(new LogStreamInfo(rows.GetString(0), rows.GetInt64(1), NullableInt64(rows, 2), NullableInt64(rows, 3),
                    NullableInt64(rows, 4), rows.GetInt64(5)));
            }
        }
        return Page(streams, limit, last => orderByLastEventTime
            ? LogTokens.LastEvent(last.LastEventTimestamp is null, last.LastEventTimestamp ?? 0, last.Name)
            : LogTokens.Name(last.Name));
    }

    public AppendResult GetSourceOffset(string group, string stream)
    {
        if (FindGroup(group) is not { } groupId)
        {
            return new AppendResult(StreamOutcome.GroupNotFound, 0, 0);
        }
        return FindStream(groupId, stream) is { } found
            ? new AppendResult(StreamOutcome.Done, found.SourceOffset, 0)
            : new AppendResult(StreamOutcome.StreamNotFound, 0, 0);
    }

    public StreamEventsPage StreamEvents(string group, string stream, long? startTime, long? endTime, bool startFromHead, string? token, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (kind, key) = token is null ? (startFromHead ? 'f' : 'b', startFromHead ? EventKey.Origin : EventKey.End) : LogTokens.ParseKey(token, "fb");
        if (FindGroup(group) is not { } groupId)
        {
            return new StreamEventsPage(StreamOutcome.GroupNotFound, [], null, null);
        }
        if (FindStream(groupId, stream) is not { } found)
        {
            return new StreamEventsPage(StreamOutcome.StreamNotFound, [], null, null);
        }
        var forward = kind == 'f';
        var command = Prepared(forward
            ? """
              SELECT id, ts, ingestion, message FROM events
              WHERE stream_id = $stream AND ts >= max($from, $keyTs) AND ts < $to AND (ts > $keyTs OR id > $keyId)
              ORDER BY ts, id LIMIT $limit
              """
            : """
              SELECT id, ts, ingestion, message FROM events
              WHERE stream_id = $stream AND ts >= $from AND ts < $to AND ts <= $keyTs AND (ts < $keyTs OR id < $keyId)
              ORDER BY ts DESC, id DESC LIMIT $limit
              """);
        command.Parameters.AddWithValue("$stream", found.Id);
        command.Parameters.AddWithValue("$from", startTime ?? long.MinValue);
        command.Parameters.AddWithValue("$to", endTime ?? long.MaxValue);
        command.Parameters.AddWithValue("$keyTs", key.Timestamp);
        command.Parameters.AddWithValue("$keyId", key.Id);
        command.Parameters.AddWithValue("$limit", limit);
        var events = new List<StoredLogEvent>();
        var bytes = 0L;
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var message = rows.GetString(3);
                bytes += Encoding.UTF8.GetByteCount(message);
                if (events.Count > 0 && bytes > LogLimits.PageBytes)
                {
                    break;
                }
                events.Add(new StoredLogEvent(rows.GetInt64(0), stream, rows.GetInt64(1), rows.GetInt64(2), message));
            }
        }
        return LogTokens.StreamPage(events, forward, token, key);
    }

    public FilteredEventsPage? FilterEvents(string group, IReadOnlyList<string>? streamNames, string? streamNamePrefix, long? startTime, long? endTime,
        FilterPattern pattern, string? nextToken, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = nextToken is null ? EventKey.Origin : LogTokens.ParseKey(nextToken, "e").Key;
        if (FindGroup(group) is not { } groupId)
        {
            return null;
        }
        var streams = SearchedStreams(groupId, streamNames, streamNamePrefix);
        var searched = streams.Values.Order(StringComparer.Ordinal).ToList();
        if (streams.Count == 0)
        {
            return new FilteredEventsPage([], searched, null);
        }
        var command = Prepared($"""
            SELECT id, ts, stream_id, ingestion, {MatchExpression(pattern)}, message FROM events
            WHERE group_id = $group AND ts >= max($from, $keyTs) AND ts < $to AND (ts > $keyTs OR id > $keyId)
            ORDER BY ts, id
            """);
        command.Parameters.AddWithValue("$group", groupId);
        command.Parameters.AddWithValue("$from", startTime ?? long.MinValue);
        command.Parameters.AddWithValue("$to", endTime ?? long.MaxValue);
        command.Parameters.AddWithValue("$keyTs", after.Timestamp);
        command.Parameters.AddWithValue("$keyId", after.Id);
        AddLiterals(command, pattern);
        var events = new List<StoredLogEvent>();
        var (examined, bytes) = (0, 0L);
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            // Most rows do not match: only their match flag crosses into .NET.
            examined++;
            var matched = rows.GetInt64(4) != 0;
            if (matched && streams.TryGetValue(rows.GetInt64(2), out var streamName))
            {
                var message = rows.GetString(5);
                events.Add(new StoredLogEvent(rows.GetInt64(0), streamName, rows.GetInt64(1), rows.GetInt64(3), message));
                bytes += Encoding.UTF8.GetByteCount(message);
            }
            if (events.Count >= limit || bytes >= LogLimits.PageBytes || examined >= LogLimits.ScanBudgetRows)
            {
                return new FilteredEventsPage(events, searched, LogTokens.Key('e', new EventKey(rows.GetInt64(1), rows.GetInt64(0))));
            }
        }
        return new FilteredEventsPage(events, searched, null);
    }

    /// <summary>The group's streams to search by id: all, the named ones that exist, or those with the prefix.</summary>
    private Dictionary<long, string> SearchedStreams(long groupId, IReadOnlyList<string>? streamNames, string? prefix)
    {
        var command = Prepared($"SELECT id, name FROM streams WHERE group_id = $group {PrefixFilter(prefix)}");
        command.Parameters.AddWithValue("$group", groupId);
        AddPrefix(command, prefix);
        var wanted = streamNames is { Count: > 0 } ? streamNames.ToHashSet(StringComparer.Ordinal) : null;
        var streams = new Dictionary<long, string>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var name = rows.GetString(1);
            if (wanted is null || wanted.Contains(name))
            {
                streams[rows.GetInt64(0)] = name;
            }
        }
        return streams;
    }

    /// <summary>SQL that is 1 when the message matches: instr() is SQLite's case-sensitive substring test.</summary>
    private static string MatchExpression(FilterPattern pattern)
    {
        if (pattern.MatchesAll)
        {
            return "1";
        }
        var conditions = new List<string>();
        conditions.AddRange(pattern.Required.Select((_, i) => $"instr(message, $r{i}) > 0"));
        if (pattern.AnyOf.Count > 0)
        {
            conditions.Add("(" + string.Join(" OR ", pattern.AnyOf.Select((_, i) => $"instr(message, $a{i}) > 0")) + ")");
        }
        conditions.AddRange(pattern.Excluded.Select((_, i) => $"instr(message, $x{i}) = 0"));
        return "(" + string.Join(" AND ", conditions) + ")";
    }

    private static void AddLiterals(SqliteCommand command, FilterPattern pattern)
    {
        foreach (var (prefix, literals) in new[] { ("$r", pattern.Required), ("$a", pattern.AnyOf), ("$x", pattern.Excluded) })
        {
            for (var i = 0; i < literals.Count; i++)
            {
                command.Parameters.AddWithValue(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), literals[i]);
            }
        }
    }

    private static LogGroupInfo ReadGroup(SqliteDataReader rows) =>
        new(rows.GetString(0), rows.GetInt64(1), rows.IsDBNull(2) ? null : rows.GetInt32(2), rows.GetInt64(3));

    private static long? NullableInt64(SqliteDataReader rows, int ordinal) => rows.IsDBNull(ordinal) ? null : rows.GetInt64(ordinal);

    /// <summary>The first <paramref name="limit"/> items, with a token when the query found one more.</summary>
    private static LogPage<T> Page<T>(List<T> items, int limit, Func<T, string> token)
    {
        if (items.Count <= limit)
        {
            return new LogPage<T>(items, null);
        }
        items.RemoveAt(limit);
        return new LogPage<T>(items, token(items[^1]));
    }

    private static string PrefixFilter(string? prefix) =>
        string.IsNullOrEmpty(prefix) ? "" : "AND name >= $prefix AND name < $prefixEnd";

    private static void AddPrefix(SqliteCommand command, string? prefix)
    {
        if (!string.IsNullOrEmpty(prefix))
        {
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$prefixEnd", prefix + LogLimits.PrefixEnd);
        }
    }
}
