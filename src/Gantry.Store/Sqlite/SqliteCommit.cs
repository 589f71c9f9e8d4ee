using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>Applies one batch of writes as one transaction: check every expected version, write, log the changes, bump the revision.</summary>
internal static class SqliteCommit
{
    /// <summary>Commits and returns what each key now holds (null for deleted), for the read cache.</summary>
    public static List<(string Kind, string Key, StoredObject? Value)> Apply(SqliteConnection connection, long revision, IReadOnlyList<WriteOp> operations)
    {
        var written = new List<(string, string, StoredObject?)>(operations.Count);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var versionOf = Command(connection, transaction, "SELECT version FROM objects WHERE kind = $kind AND key = $key", "$kind", "$key");
        using var upsert = Command(connection, transaction,
            "INSERT INTO objects (kind, key, version, revision, body) VALUES ($kind, $key, $version, $revision, $body) " +
            "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, revision = excluded.revision, body = excluded.body",
            "$kind", "$key", "$version", "$revision", "$body");
        using var delete = Command(connection, transaction, "DELETE FROM objects WHERE kind = $kind AND key = $key", "$kind", "$key");
        using var change = Command(connection, transaction,
            "INSERT INTO changes (revision, seq, kind, key, version, body) VALUES ($revision, $seq, $kind, $key, $version, $body)",
            "$revision", "$seq", "$kind", "$key", "$version", "$body");

        for (var seq = 0; seq < operations.Count; seq++)
        {
            var op = operations[seq];
            versionOf.Parameters[0].Value = op.Kind;
            versionOf.Parameters[1].Value = op.Key;
            var current = versionOf.ExecuteScalar() is long v ? v : 0L;
            if (WriteEffect.Of(op, current, revision) is not { } effect)
            {
                continue;
            }
            if (effect.Body is { } body)
            {
                Set(upsert, op.Kind, op.Key, effect.Version, revision, body);
                upsert.ExecuteNonQuery();
                written.Add((op.Kind, op.Key, new StoredObject(op.Kind, op.Key, effect.Version, revision, body)));
            }
            else
            {
                delete.Parameters[0].Value = op.Kind;
                delete.Parameters[1].Value = op.Key;
                delete.ExecuteNonQuery();
                written.Add((op.Kind, op.Key, null));
            }
            Set(change, revision, seq, op.Kind, op.Key, effect.Version, effect.Body);
            change.ExecuteNonQuery();
        }
        SqliteCommands.Execute(connection, $"UPDATE meta SET value = {revision} WHERE name = 'revision'", transaction);
        transaction.Commit();
        return written;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
