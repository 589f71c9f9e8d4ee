using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>Ordered schema steps of the state store, applied by <see cref="PostgresMigrator"/>. Append new steps; never edit a released one.</summary>
internal static class PostgresMigrations
{
    private const string Component = "state";

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

    public static Task ApplyAsync(NpgsqlDataSource source, CancellationToken ct) => PostgresMigrator.ApplyAsync(source, Component, Steps, ct);
}
