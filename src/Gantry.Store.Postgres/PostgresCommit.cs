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

        var revision = first;
        foreach (var operations in members)
        {
            await transaction.SaveAsync("member", ct).ConfigureAwait(false);
            try
            {
                await ApplyAsync(connection, operations, revision, ct).ConfigureAwait(false);
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

    /// <summary>
    /// Checks every expected version of one commit, writes the objects and logs the changes at <paramref name="revision"/>,
    /// in two round trips whatever its size: the versions of all its objects in one query, then every write in one batch.
    /// </summary>
    private static async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<WriteOp> operations, long revision, CancellationToken ct)
    {
        var versions = await VersionsAsync(connection, operations, ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        for (var seq = 0; seq < operations.Count; seq++)
        {
            var op = operations[seq];
            if (WriteEffect.Of(op, versions.GetValueOrDefault((op.Kind, op.Key)), revision) is not { } effect)
            {
                continue;
            }
            versions[(op.Kind, op.Key)] = effect.Body is null ? 0 : effect.Version; // a later write of the commit to the same object sees this one
            batch.BatchCommands.Add(effect.Body is not null
                ? Write("INSERT INTO state_objects (kind, key, version, revision, body) VALUES ($1, $2, $3, $4, $5) " +
                    "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, revision = excluded.revision, body = excluded.body",
                    op.Kind, op.Key, effect.Version, revision, effect.Body)
                : Write("DELETE FROM state_objects WHERE kind = $1 AND key = $2", op.Kind, op.Key));
            batch.BatchCommands.Add(Write("INSERT INTO state_changes (revision, seq, kind, key, version, body) VALUES ($1, $2, $3, $4, $5, $6)",
                revision, seq, op.Kind, op.Key, effect.Version, effect.Body));
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The stored version of every object a commit names (absent ones are not listed).</summary>
    private static async Task<Dictionary<(string Kind, string Key), long>> VersionsAsync(NpgsqlConnection connection, IReadOnlyList<WriteOp> operations,
        CancellationToken ct)
    {
        await using var query = Command(connection,
            "SELECT o.kind, o.key, o.version FROM state_objects o JOIN unnest($1::text[], $2::text[]) AS k(kind, key) ON o.kind = k.kind AND o.key = k.key", 2);
        Set(query, operations.Select(o => o.Kind).ToArray(), operations.Select(o => o.Key).ToArray());
        var versions = new Dictionary<(string, string), long>();
        await using var reader = await query.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        return versions;
    }

    private static NpgsqlBatchCommand Write(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
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
