using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>What one commit of a group wrote (null for a deleted key), or why it was refused.</summary>
internal sealed record MemberOutcome(long Revision, List<(string Kind, string Key, StoredObject? Value)>? Written, Exception? Failure);

/// <summary>
/// Applies a group of commits as one transaction, each commit in its own savepoint at its own revision: a commit
/// whose expected versions do not hold is rolled back alone, the others are written, and the group costs one
/// fsync. Each commit sees the ones before it in the group, exactly as if they had been committed one by one.
/// </summary>
internal static class SqliteCommit
{
    public static List<MemberOutcome> ApplyGroup(SqliteConnection connection, long firstRevision, IReadOnlyList<IReadOnlyList<WriteOp>> members)
    {
        var outcomes = new List<MemberOutcome>(members.Count);
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
        var revision = firstRevision;
        foreach (var operations in members)
        {
            SqliteCommands.Execute(connection, "SAVEPOINT member", transaction);
            try
            {
                var written = Apply(operations, revision, versionOf, upsert, delete, change);
                SqliteCommands.Execute(connection, "RELEASE member", transaction);
                outcomes.Add(new MemberOutcome(revision++, written, null));
            }
            catch (Exception e) when (e is ConcurrencyConflictException or ArgumentException)
            {
                SqliteCommands.Execute(connection, "ROLLBACK TO member; RELEASE member", transaction);
                outcomes.Add(new MemberOutcome(0, null, e));
            }
        }
        if (revision > firstRevision)
        {
            SqliteCommands.Execute(connection, $"UPDATE meta SET value = {revision - 1} WHERE name = 'revision'", transaction);
        }
        transaction.Commit();
        return outcomes;
    }

    /// <summary>Checks every expected version, writes and logs the changes of one commit; returns what each key now holds.</summary>
    private static List<(string Kind, string Key, StoredObject? Value)> Apply(IReadOnlyList<WriteOp> operations, long revision,
        SqliteCommand versionOf, SqliteCommand upsert, SqliteCommand delete, SqliteCommand change)
    {
        var written = new List<(string, string, StoredObject?)>(operations.Count);
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
