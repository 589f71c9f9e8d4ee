using System.Text;
using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>The store's reads as SQL: point reads, ordinal key ranges by prefix and cursor, counts and the change log.</summary>
internal static class PostgresReads
{
    private const string Columns = "SELECT kind, key, version, revision, body FROM state_objects";

    public static async Task<StoredObject?> GetAsync(NpgsqlDataSource source, string kind, string key, CancellationToken ct)
    {
        await using var command = source.CreateCommand($"{Columns} WHERE kind = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        var found = await ObjectsAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public static async Task<IReadOnlyList<StoredObject>> ListAsync(NpgsqlDataSource source, string kind, string? keyPrefix, string? cursor, int limit,
        bool descending, CancellationToken ct)
    {
        var sql = new StringBuilder(Columns).Append(" WHERE kind = $1");
        await using var command = source.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        Where(sql, command, keyPrefix);
        if (cursor is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cursor });
            sql.Append(descending ? " AND key < $" : " AND key > $").Append(command.Parameters.Count);
        }
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        sql.Append(descending ? " ORDER BY key DESC" : " ORDER BY key").Append(" LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        return await ObjectsAsync(command, ct).ConfigureAwait(false);
    }

    public static async Task<long> CountAsync(NpgsqlDataSource source, string kind, string? keyPrefix, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT count(*) FROM state_objects WHERE kind = $1");
        await using var command = source.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        Where(sql, command, keyPrefix);
        command.CommandText = sql.ToString();
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The changes after <paramref name="afterRevision"/>, then the revision the feed is compacted through, read in
    /// that order (two statements, two snapshots): a compaction between the two reads is seen (and reported), never missed.</summary>
    /// <exception cref="ChangeFeedCompactedException">Changes after <paramref name="afterRevision"/> were compacted.</exception>
    public static async Task<IReadOnlyList<Change>> ChangesSinceAsync(NpgsqlDataSource source, long afterRevision, int limit, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT revision, kind, key, version, body FROM state_changes WHERE revision > $1 AND revision <= COALESCE(" +
            "(SELECT revision FROM state_changes WHERE revision > $1 ORDER BY revision, seq OFFSET $2 - 1 LIMIT 1), 9223372036854775807) " +
            "ORDER BY revision, seq", connection); // whole revisions: the one the limit falls in is completed
        command.Parameters.Add(new NpgsqlParameter { Value = afterRevision });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var changes = new List<Change>();
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                changes.Add(new Change(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        var compacted = await PostgresChangeCompaction.ReadAsync(connection, ct).ConfigureAwait(false);
        return afterRevision < compacted ? throw new ChangeFeedCompactedException(afterRevision, compacted) : changes;
    }

    public static async Task<long> RevisionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT value FROM state_meta WHERE name = 'revision'", connection);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Keys starting with the prefix: a range the primary key's "C" (byte) order serves, then the exact test.</summary>
    private static void Where(StringBuilder sql, NpgsqlCommand command, string? keyPrefix)
    {
        if (string.IsNullOrEmpty(keyPrefix))
        {
            return;
        }
        command.Parameters.Add(new NpgsqlParameter { Value = keyPrefix });
        var n = command.Parameters.Count;
        command.Parameters.Add(new NpgsqlParameter { Value = keyPrefix + char.ConvertFromUtf32(0x10FFFF) });
        sql.Append(" AND key >= $").Append(n).Append(" AND key <= $").Append(n + 1).Append(" AND starts_with(key, $").Append(n).Append(')');
    }

    private static async Task<List<StoredObject>> ObjectsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var objects = new List<StoredObject>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            objects.Add(new StoredObject(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4)));
        }
        return objects;
    }
}
