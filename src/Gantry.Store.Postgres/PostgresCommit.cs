using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Applies one batch of writes as one transaction. The revision row is locked first, so commits from every replica
/// are serialised and revisions stay dense; then every expected version is checked, the objects written, the changes
/// logged, the revision bumped and a notification queued (PostgreSQL delivers it when the transaction commits).
/// </summary>
internal static class PostgresCommit
{
    public const string Channel = "gantry_state_changes";

    public static async Task<long> ApplyAsync(NpgsqlConnection connection, IReadOnlyList<WriteOp> operations, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var lockRevision = new NpgsqlCommand("SELECT value FROM state_meta WHERE name = 'revision' FOR UPDATE", connection);
        var revision = (long)(await lockRevision.ExecuteScalarAsync(ct).ConfigureAwait(false))! + 1;

        await using var versionOf = Command(connection, "SELECT version FROM state_objects WHERE kind = $1 AND key = $2", 2);
        await using var upsert = Command(connection,
            "INSERT INTO state_objects (kind, key, version, revision, body) VALUES ($1, $2, $3, $4, $5) " +
            "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, revision = excluded.revision, body = excluded.body", 5);
        await using var delete = Command(connection, "DELETE FROM state_objects WHERE kind = $1 AND key = $2", 2);
        await using var change = Command(connection,
            "INSERT INTO state_changes (revision, seq, kind, key, version, body) VALUES ($1, $2, $3, $4, $5, $6)", 6);

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

        await using var bump = Command(connection, "UPDATE state_meta SET value = $1 WHERE name = 'revision'", 1);
        Set(bump, revision);
        await bump.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var notify = Command(connection, $"SELECT pg_notify('{Channel}', $1)", 1);
        Set(notify, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return revision;
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
