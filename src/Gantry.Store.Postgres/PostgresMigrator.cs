using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Applies a component's ordered schema steps. <c>gantry_migrations</c> holds, per component (the state store, the
/// log store...), how many steps were applied; the missing ones run in one transaction under an advisory lock, so
/// replicas starting together migrate once. Components append new steps and never edit a released one.
/// </summary>
public static class PostgresMigrator
{
    /// <summary>Serialises migrations of every Gantry component across replicas.</summary>
    private const long LockId = 0x6761_6e74_7279; // "gantry"

    public static async Task ApplyAsync(NpgsqlDataSource source, string component, IReadOnlyList<string> steps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(steps);
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockId})", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS gantry_migrations (component text PRIMARY KEY, steps integer NOT NULL)", ct)
            .ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT steps FROM gantry_migrations WHERE component = $1", connection) { Parameters = { new() { Value = component } } };
        var applied = await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is int done ? done : 0;
        if (applied > steps.Count)
        {
            throw new InvalidOperationException($"The database's {component} schema (step {applied}) is newer than this Gantry ({steps.Count}).");
        }
        for (var step = applied; step < steps.Count; step++)
        {
            await ExecuteAsync(connection, steps[step], ct).ConfigureAwait(false);
        }
        await using var record = new NpgsqlCommand(
            "INSERT INTO gantry_migrations (component, steps) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET steps = excluded.steps", connection)
        {
            Parameters = { new() { Value = component }, new() { Value = steps.Count } },
        };
        await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
