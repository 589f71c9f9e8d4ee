using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Applies commits in one transaction. The revision row is locked first, so commits from every replica are serialised
/// and revisions stay dense; then every expected version is checked, the objects written, the changes logged, the
/// revision bumped and a notification queued (PostgreSQL delivers it when the transaction commits).
/// </summary>
internal static class PostgresCommit
{
    public const string Channel = "gantry_state_changes";

    /// <summary>
    /// Applies a group of commits (<see cref="GroupCommit"/>) as one transaction, each in its own savepoint at its own
    /// revision: one whose expected versions do not hold is rolled back alone. Returns each commit's revision, or its
    /// failure.
    /// </summary>
    public static async Task<IReadOnlyList<(long Revision, Exception? Failure)>> ApplyGroupAsync(NpgsqlConnection connection,
        IReadOnlyList<IReadOnlyList<WriteOp>> members, CancellationToken ct)
    {
        var outcomes = new List<(long, Exception?)>(members.Count);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var lockRevision = new NpgsqlCommand("SELECT value FROM state_meta WHERE name = 'revision' FOR UPDATE", connection);
        var first = (long)(await lockRevision.ExecuteScalarAsync(ct).ConfigureAwait(false))! + 1;

        await using var versionOf = Command(connection, "SELECT version FROM state_objects WHERE kind = $1 AND key = $2", 2);
        await using var upsert = Command(connection,
            "INSERT INTO state_objects (kind, key, version, revision, body) VALUES ($1, $2, $3, $4, $5) " +
            "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, revision = excluded.revision, body = excluded.body", 5);
        await using var delete = Command(connection, "DELETE FROM state_objects WHERE kind = $1 AND key = $2", 2);
        await using var change = Command(connection,
            "INSERT INTO state_changes (revision, seq, kind, key, version, body) VALUES ($1, $2, $3, $4, $5, $6)", 6);
        var revision = first;
        foreach (var operations in members)
        {
            await transaction.SaveAsync("member", ct).ConfigureAwait(false);
            try
            {
                await ApplyAsync(operations, revision, versionOf, upsert, delete, change, ct).ConfigureAwait(false);
                await transaction.ReleaseAsync("member", ct).ConfigureAwait(false);
                outcomes.Add((revision++, null));
            }
            catch (Exception e) when (e is ConcurrencyConflictException or ArgumentException)
            {
                await transaction.RollbackAsync("member", ct).ConfigureAwait(false);
                outcomes.Add((0, e));
            }
        }
        if (revision > first)
        {
            await using var bump = Command(connection, "UPDATE state_meta SET value = $1 WHERE name = 'revision'", 1);
            Set(bump, revision - 1);
            await bump.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using var notify = Command(connection, $"SELECT pg_notify('{Channel}', $1)", 1);
            Set(notify, (revision - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Checks every expected version of one commit, writes the objects and logs the changes at <paramref name="revision"/>.</summary>
    private static async Task ApplyAsync(IReadOnlyList<WriteOp> operations, long revision, NpgsqlCommand versionOf, NpgsqlCommand upsert,
        NpgsqlCommand delete, NpgsqlCommand change, CancellationToken ct)
    {
        for (var seq = 0; seq < operations.Count; seq++)
        {
            var op = operations[seq];
            Set(versionOf, op.Kind, op.Key);
            var current = await versionOf.ExecuteScalarAsync(ct).ConfigureAwait(false) is long v ? v : 0L;
            if (WriteEffect.Of(op, current, revision) is not { } effect)
            {
                continue;
            }
            if (effect.Body is not null)
            {
                Set(upsert, op.Kind, op.Key, effect.Version, revision, effect.Body);
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            else
            {
                Set(delete, op.Kind, op.Key);
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            Set(change, revision, seq, op.Kind, op.Key, effect.Version, effect.Body);
            await change.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, int parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new NpgsqlParameter());
        }
        return command;
    }

    private static void Set(NpgsqlCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
