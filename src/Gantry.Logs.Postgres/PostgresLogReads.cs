using System.Text;
using Npgsql;

namespace Gantry.Logs.Postgres;

/// <summary>The log store's reads: the SQLite store's queries in PostgreSQL, with the same tokens, orders and page bounds.</summary>
internal static class PostgresLogReads
{
    private const string GroupColumns = "SELECT name, creation_time, retention_days, stored_bytes FROM log_groups";

    public static async Task<LogGroupInfo?> GetGroupAsync(NpgsqlConnection connection, string group, CancellationToken ct)
    {
        await using var command = Sql.Command(connection, $"{GroupColumns} WHERE name = $1", group);
        var groups = await GroupsAsync(command, ct).ConfigureAwait(false);
        return groups.Count == 0 ? null : groups[0];
    }

    public static async Task<LogPage<LogGroupInfo>> DescribeGroupsAsync(NpgsqlConnection connection, string? namePrefix, string? namePattern,
        string? nextToken, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = nextToken is null ? null : LogTokens.ParseName(nextToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder(GroupColumns).Append(" WHERE true").Append(Sql.PrefixFilter(command, namePrefix));
        if (!string.IsNullOrEmpty(namePattern))
        {
            // lower() under collation "C" folds ASCII letters only, as SQLite's lower() does.
            sql.Append(" AND strpos(lower(name), lower(").Append(Sql.Add(command, namePattern)).Append(" COLLATE \"C\")) > 0");
        }
        if (after is not null)
        {
            sql.Append(" AND name > ").Append(Sql.Add(command, after));
        }
        sql.Append(" ORDER BY name LIMIT ").Append(Sql.Add(command, limit + 1));
        command.CommandText = sql.ToString();
        return Page(await GroupsAsync(command, ct).ConfigureAwait(false), limit, last => LogTokens.Name(last.Name));
    }

    public static async Task<LogPage<LogStreamInfo>?> DescribeStreamsAsync(NpgsqlConnection connection, string group, string? namePrefix,
        bool orderByLastEventTime, bool descending, string? nextToken, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (await FindGroupAsync(connection, group, ct).ConfigureAwait(false) is not { } groupId)
        {
            return null;
        }
        var cursor = nextToken is not null && orderByLastEventTime ? LogTokens.ParseLastEvent(nextToken) : ((bool, long, string)?)null;
        var after = nextToken is not null && !orderByLastEventTime ? LogTokens.ParseName(nextToken) : null;
        const string Columns = "name, creation_time, first_ts, last_ts, last_ingestion, stored_bytes";
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder();
        var direction = descending ? "DESC" : "ASC";
        var groupParameter = Sql.Add(command, groupId);
        if (orderByLastEventTime)
        {
            // Streams with events first (by last event time), then those without (by name), in the asked direction.
            var onward = descending ? "<" : ">";
            sql.Append($"SELECT {Columns} FROM (SELECT *, last_ts IS NULL AS no_events, coalesce(last_ts, 0) AS last_key FROM log_streams WHERE group_id = {groupParameter}")
                .Append(Sql.PrefixFilter(command, namePrefix)).Append(") s WHERE true");
            if (cursor is { } c)
            {
                var (noEvents, lastKey, name) = (Sql.Add(command, c.Item1), Sql.Add(command, c.Item2), Sql.Add(command, c.Item3));
                sql.Append($" AND (no_events > {noEvents} OR (no_events = {noEvents} AND (last_key {onward} {lastKey} OR (last_key = {lastKey} AND name {onward} {name}))))");
            }
            sql.Append($" ORDER BY no_events, last_key {direction}, name {direction}");
        }
        else
        {
            sql.Append($"SELECT {Columns} FROM log_streams WHERE group_id = {groupParameter}").Append(Sql.PrefixFilter(command, namePrefix));
            if (after is not null)
            {
                sql.Append(descending ? " AND name < " : " AND name > ").Append(Sql.Add(command, after));
            }
            sql.Append($" ORDER BY name {direction}");
        }
        sql.Append(" LIMIT ").Append(Sql.Add(command, limit + 1));
        command.CommandText = sql.ToString();
        var streams = new List<LogStreamInfo>();
        await using (var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                streams.Add(new LogStreamInfo(rows.GetString(0), rows.GetInt64(1), NullableInt64(rows, 2), NullableInt64(rows, 3),
                    NullableInt64(rows, 4), rows.GetInt64(5)));
            }
        }
        return Page(streams, limit, last => orderByLastEventTime
            ? LogTokens.LastEvent(last.LastEventTimestamp is null, last.LastEventTimestamp ?? 0, last.Name)
            : LogTokens.Name(last.Name));
    }

    public static async Task<AppendResult> GetSourceOffsetAsync(NpgsqlConnection connection, string group, string stream, CancellationToken ct)
    {
        var (groupId, found) = await FindStreamAsync(connection, group, stream, ct).ConfigureAwait(false);
        return groupId is null ? new AppendResult(StreamOutcome.GroupNotFound, 0, 0)
            : found is { } s ? new AppendResult(StreamOutcome.Done, s.SourceOffset, 0)
            : new AppendResult(StreamOutcome.StreamNotFound, 0, 0);
    }

    public static async Task<StreamEventsPage> StreamEventsAsync(NpgsqlConnection connection, string group, string stream, long? startTime, long? endTime,
        bool startFromHead, string? token, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (kind, key) = token is null ? (startFromHead ? 'f' : 'b', startFromHead ? EventKey.Origin : EventKey.End) : LogTokens.ParseKey(token, "fb");
        var (groupId, found) = await FindStreamAsync(connection, group, stream, ct).ConfigureAwait(false);
        if (groupId is null)
        {
            return new StreamEventsPage(StreamOutcome.GroupNotFound, [], null, null);
        }
        if (found is not { } s)
        {
            return new StreamEventsPage(StreamOutcome.StreamNotFound, [], null, null);
        }
        var forward = kind == 'f';
        await using var command = Sql.Command(connection, forward
            ? """
              SELECT id, ts, ingestion, message FROM log_events
              WHERE stream_id = $1 AND ts >= greatest($2, $4) AND ts < $3 AND (ts > $4 OR id > $5)
              ORDER BY ts, id LIMIT $6
              """
            : """
              SELECT id, ts, ingestion, message FROM log_events
              WHERE stream_id = $1 AND ts >= $2 AND ts < $3 AND ts <= $4 AND (ts < $4 OR id < $5)
              ORDER BY ts DESC, id DESC LIMIT $6
              """, s.Id, startTime ?? long.MinValue, endTime ?? long.MaxValue, key.Timestamp, key.Id, limit);
        var events = new List<StoredLogEvent>();
        var bytes = 0L;
        await using (var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                var message = rows.GetFieldValue<byte[]>(3);
                bytes += message.Length;
                if (events.Count > 0 && bytes > LogLimits.PageBytes)
                {
                    break;
                }
                events.Add(new StoredLogEvent(rows.GetInt64(0), stream, rows.GetInt64(1), rows.GetInt64(2), Encoding.UTF8.GetString(message)));
            }
        }
        return LogTokens.StreamPage(events, forward, token, key);
    }

    /// <summary>
    /// One FilterLogEvents page. The scan is the next <see cref="LogLimits.ScanBudgetRows"/> events of the group in key
    /// order; only matching events of the searched streams (at most <paramref name="limit"/>, and none once the page's
    /// bytes are spent) cross to .NET, plus a marker for the last row scanned when the budget ran out, where the token
    /// then points. The page ends where the SQLite store's row-by-row loop ends.
    /// </summary>
    public static async Task<FilteredEventsPage?> FilterEventsAsync(NpgsqlConnection connection, string group, IReadOnlyList<string>? streamNames,
        string? streamNamePrefix, long? startTime, long? endTime, FilterPattern pattern, string? nextToken, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = nextToken is null ? EventKey.Origin : LogTokens.ParseKey(nextToken, "e").Key;
        if (await FindGroupAsync(connection, group, ct).ConfigureAwait(false) is not { } groupId)
        {
            return null;
        }
        var streams = await SearchedStreamsAsync(connection, groupId, streamNames, streamNamePrefix, ct).ConfigureAwait(false);
        var searched = streams.Values.Order(StringComparer.Ordinal).ToList();
        if (streams.Count == 0)
        {
            return new FilteredEventsPage([], searched, null);
        }
        await using var command = Sql.Command(connection, "", groupId, startTime ?? long.MinValue, endTime ?? long.MaxValue, after.Timestamp, after.Id,
            streams.Keys.ToArray(), LogLimits.ScanBudgetRows, limit, LogLimits.PageBytes);
        command.CommandText = $"""
            WITH scan AS (
                SELECT id, ts, stream_id, ingestion, message, row_number() OVER (ORDER BY ts, id) AS n
                FROM (SELECT * FROM log_events WHERE group_id = $1 AND ts >= greatest($2, $4) AND ts < $3 AND (ts > $4 OR id > $5)
                      ORDER BY ts, id LIMIT $7) page),
            hits AS (
                SELECT id, ts, stream_id, ingestion, message, n, sum(octet_length(message)) OVER (ORDER BY n) - octet_length(message) AS before
                FROM scan WHERE stream_id = ANY($6) AND {MatchExpression(command, pattern)} ORDER BY n LIMIT $8)
            SELECT id, ts, stream_id, ingestion, message, n, false AS budget_end FROM hits WHERE before < $9
            UNION ALL
            SELECT id, ts, stream_id, ingestion, NULL, n, true FROM scan WHERE n = $7
            ORDER BY n, budget_end
            """;
        var events = new List<StoredLogEvent>();
        var bytes = 0L;
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            var key = new EventKey(rows.GetInt64(1), rows.GetInt64(0));
            if (rows.GetBoolean(6))
            {
                return new FilteredEventsPage(events, searched, LogTokens.Key('e', key));
            }
            var message = rows.GetFieldValue<byte[]>(4);
            events.Add(new StoredLogEvent(key.Id, streams[rows.GetInt64(2)], key.Timestamp, rows.GetInt64(3), Encoding.UTF8.GetString(message)));
            bytes += message.Length;
            if (events.Count >= limit || bytes >= LogLimits.PageBytes)
            {
                return new FilteredEventsPage(events, searched, LogTokens.Key('e', key));
            }
        }
        return new FilteredEventsPage(events, searched, null);
    }

    private static async Task<long?> FindGroupAsync(NpgsqlConnection connection, string group, CancellationToken ct) =>
        await Sql.On(connection, ct).ScalarAsync("SELECT id FROM log_groups WHERE name = $1", group).ConfigureAwait(false) as long?;

    private static async Task<(long? GroupId, (long Id, long SourceOffset)? Stream)> FindStreamAsync(NpgsqlConnection connection, string group,
        string stream, CancellationToken ct)
    {
        await using var command = Sql.Command(connection, """
            SELECT g.id, s.id, s.source_offset FROM log_groups g LEFT JOIN log_streams s ON s.group_id = g.id AND s.name = $2 WHERE g.name = $1
            """, group, stream);
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            return (null, null);
        }
        return (rows.GetInt64(0), rows.IsDBNull(1) ? null : (rows.GetInt64(1), rows.GetInt64(2)));
    }

    /// <summary>The group's streams to search by id: all, the named ones that exist, or those with the prefix.</summary>
    private static async Task<Dictionary<long, string>> SearchedStreamsAsync(NpgsqlConnection connection, long groupId, IReadOnlyList<string>? streamNames,
        string? prefix, CancellationToken ct)
    {
        await using var command = Sql.Command(connection, "", groupId);
        command.CommandText = "SELECT id, name FROM log_streams WHERE group_id = $1" + Sql.PrefixFilter(command, prefix);
        var wanted = streamNames is { Count: > 0 } ? streamNames.ToHashSet(StringComparer.Ordinal) : null;
        var streams = new Dictionary<long, string>();
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            var name = rows.GetString(1);
            if (wanted is null || wanted.Contains(name))
            {
                streams[rows.GetInt64(0)] = name;
            }
        }
        return streams;
    }

    /// <summary>SQL that is true when the message matches: position() is a byte substring test on the UTF-8 message, as SQLite's instr() on text.</summary>
    private static string MatchExpression(NpgsqlCommand command, FilterPattern pattern)
    {
        if (pattern.MatchesAll)
        {
            return "true";
        }
        string Contains(string literal) => $"position({Sql.Add(command, Encoding.UTF8.GetBytes(literal))} IN message) > 0";
        var conditions = new List<string>();
        conditions.AddRange(pattern.Required.Select(Contains));
        if (pattern.AnyOf.Count > 0)
        {
            conditions.Add("(" + string.Join(" OR ", pattern.AnyOf.Select(Contains)) + ")");
        }
        conditions.AddRange(pattern.Excluded.Select(literal => $"NOT {Contains(literal)}"));
        return "(" + string.Join(" AND ", conditions) + ")";
    }

    private static async Task<List<LogGroupInfo>> GroupsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var groups = new List<LogGroupInfo>();
        await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            groups.Add(new(rows.GetString(0), rows.GetInt64(1), rows.IsDBNull(2) ? null : rows.GetInt32(2), rows.GetInt64(3)));
        }
        return groups;
    }

    private static long? NullableInt64(NpgsqlDataReader rows, int ordinal) => rows.IsDBNull(ordinal) ? null : rows.GetInt64(ordinal);

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
}
