using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Ordered schema steps of the state store. <c>gantry_migrations</c> holds, per component, how many steps were
/// applied; opening applies the missing ones in one transaction under an advisory lock, so replicas starting together
/// migrate once. Append new steps; never edit a released one.
/// </summary>
internal static class PostgresMigrations
{
    private const string Component = "state";

    /// <summary>Serialises migrations of every Gantry component across replicas.</summary>
    private const long LockId = 0x6761_6e74_7279; // "gantry"

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE state_objects (
            kind     text COLLATE "C" NOT NULL,
            key      text COLLATE "C" NOT NULL,
            version  bigint NOT NULL,
            revision bigint NOT NULL,
            body     text   NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE TABLE state_changes (
            revision bigint NOT NULL,
            seq      integer NOT NULL,
            kind     text COLLATE "C" NOT NULL,
            key      text COLLATE "C" NOT NULL,
            version  bigint NOT NULL,
            body     text,
            PRIMARY KEY (revision, seq)
        );
        CREATE TABLE state_meta (
            name  text PRIMARY KEY,
            value bigint NOT NULL
        );
        INSERT INTO state_meta (name, value) VALUES ('revision', 0);
        """,
    ];

    public static async Task ApplyAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockId})", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS gantry_migrations (component text PRIMARY KEY, steps integer NOT NULL)", ct)
            .ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT steps FROM gantry_migrations WHERE component = $1", connection) { Parameters = { new() { Value = Component } } };
        var applied = await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is int steps ? steps : 0;
        if (applied > Steps.Length)
        {
            throw new InvalidOperationException($"The database's state schema (step {applied}) is newer than this Gantry ({Steps.Length}).");
        }
        for (var step = applied; step < Steps.Length; step++)
        {
            await ExecuteAsync(connection, Steps[step], ct).ConfigureAwait(false);
        }
        await using var record = new NpgsqlCommand(
            "INSERT INTO gantry_migrations (component, steps) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET steps = excluded.steps", connection)
        {
            Parameters = { new() { Value = Component }, new() { Value = Steps.Length } },
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
