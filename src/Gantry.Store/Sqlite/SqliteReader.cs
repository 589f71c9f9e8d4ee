using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>One pooled read connection with its prepared statements. Not thread-safe: one user at a time.</summary>
internal sealed class SqliteReader : IDisposable
{
    /// <summary>Sorts after every key that starts with a given prefix (U+10FFFF, the largest code point).</summary>
    private const string PrefixEnd = "\U0010FFFF";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteReader(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        SqliteCommands.Execute(_connection, "PRAGMA busy_timeout = 30000;");
        _get = _connection.CreateCommand();
        _get.CommandText = "SELECT version, revision, body FROM objects WHERE kind = $kind AND key = $key";
        _get.Parameters.Add("$kind", SqliteType.Text);
        _get.Parameters.Add("$key", SqliteType.Text);
        _get.Prepare();
    }

    public StoredObject? Get(string kind, string key)
    {
        _get.Parameters[0].Value = kind;
        _get.Parameters[1].Value = key;
        using var rows = _get.ExecuteReader();
        return rows.Read() ? new StoredObject(kind, key, rows.GetInt64(0), rows.GetInt64(1), rows.GetString(2)) : null;
    }

    public IReadOnlyList<StoredObject> List(string kind, string? keyPrefix, string? cursor, int limit, bool descending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var command = Prepared($"""
            SELECT key, version, revision, body FROM objects
            WHERE kind = $kind {RangeFilter(keyPrefix)} {(cursor is null ? "" : descending ? "AND key < $cursor" : "AND key > $cursor")}
            ORDER BY key {(descending ? "DESC" : "ASC")} LIMIT $limit
            """);
        command.Parameters.AddWithValue("$kind", kind);
        AddRange(command, keyPrefix);
        if (cursor is not null)
        {
            command.Parameters.AddWithValue("$cursor", cursor);
        }
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<StoredObject>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            result.Add(new StoredObject(kind, rows.GetString(0), rows.GetInt64(1), rows.GetInt64(2), rows.GetString(3)));
        }
        return result;
    }

    public long Count(string kind, string? keyPrefix)
    {
        var command = Prepared($"SELECT COUNT(*) FROM objects WHERE kind = $kind {RangeFilter(keyPrefix)}");
        command.Parameters.AddWithValue("$kind", kind);
        AddRange(command, keyPrefix);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The changes after <paramref name="afterRevision"/>, then the revision the feed is compacted through, read
    /// in that order: a compaction between the two reads is seen (and reported), never missed.</summary>
    public (IReadOnlyList<Change> Changes, long CompactedThrough) ChangesSince(long afterRevision, int limit)
    {
        // Whole revisions: the one the limit falls in is completed, so a reader that moves on to the last revision it got
        // never skips the rest of a large commit.
        var command = Prepared("SELECT revision, kind, key, version, body FROM changes WHERE revision > $after AND revision <= COALESCE(" +
            "(SELECT revision FROM changes WHERE revision > $after ORDER BY revision, seq LIMIT 1 OFFSET $limit - 1), 9223372036854775807) " +
            "ORDER BY revision, seq");
        command.Parameters.AddWithValue("$after", afterRevision);
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<Change>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            result.Add(new Change(rows.GetInt64(0), rows.GetString(1), rows.GetString(2), rows.GetInt64(3), rows.IsDBNull(4) ? null : rows.GetString(4)));
        }
        rows.Close();
        return (result, Prepared(SqliteChangeCompaction.CompactedSql).ExecuteScalar() is long compacted ? compacted : 0);
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        _get.Dispose();
        _connection.Dispose();
    }

    /// <summary>A prepared statement for <paramref name="sql"/>, kept for the life of this connection, its parameters cleared.</summary>
    private SqliteCommand Prepared(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }
        command.Parameters.Clear();
        return command;
    }

    private static string RangeFilter(string? keyPrefix) =>
        string.IsNullOrEmpty(keyPrefix) ? "" : "AND key >= $prefix AND key < $prefixEnd";

    private static void AddRange(SqliteCommand command, string? keyPrefix)
    {
        if (!string.IsNullOrEmpty(keyPrefix))
        {
            command.Parameters.AddWithValue("$prefix", keyPrefix);
            command.Parameters.AddWithValue("$prefixEnd", keyPrefix + PrefixEnd);
        }
    }
}
