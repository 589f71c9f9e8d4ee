using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// The change feed's lower bound: <c>state_meta.compacted</c> is the revision the feed is compacted through (absent: 0,
/// nothing forgotten). A compaction step deletes the changes of at most <see cref="StepRevisions"/> revisions and moves
/// the bound (never back) in the same transaction, so replicas compacting at once are harmless.
/// </summary>
internal static class PostgresChangeCompaction
{
    /// <summary>How many revisions' changes one transaction deletes.</summary>
    public const int StepRevisions = 5_000;

    public const string CompactedSql = "SELECT value FROM state_meta WHERE name = 'compacted'";

    /// <summary>Compacts towards <paramref name="target"/> by one step; returns the revision now compacted through.</summary>
    public static async Task<long> StepAsync(NpgsqlDataSource source, long target, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var compacted = await ReadAsync(connection, ct).ConfigureAwait(false);
        if (compacted >= target)
        {
            return compacted;
        }
        var through = Math.Min(target, compacted + StepRevisions);
        await using (var delete = new NpgsqlCommand("DELETE FROM state_changes WHERE revision > $1 AND revision <= $2", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = compacted });
            delete.Parameters.Add(new NpgsqlParameter { Value = through });
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var bound = new NpgsqlCommand(
            "INSERT INTO state_meta (name, value) VALUES ('compacted', $1) ON CONFLICT (name) DO UPDATE SET value = GREATEST(state_meta.value, excluded.value)",
            connection))
        {
            bound.Parameters.Add(new NpgsqlParameter { Value = through });
            await bound.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return through;
    }

    public static async Task<long> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(CompactedSql, connection);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long value ? value : 0;
    }
}
