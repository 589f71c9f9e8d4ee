using Gantry.Store.Postgres;
using Npgsql;

namespace Gantry.Logs.Postgres;

/// <summary>
/// Ordered schema steps of the log tables (component <c>logs</c> of <see cref="PostgresMigrator"/>), beside the state
/// store's in the same database. Append new steps; never edit a released one. Group and stream ids never repeat
/// (identity columns), so events of a deleted group still waiting in <c>log_purges</c> never show up in a new group of
/// the same name; event ids come from <c>log_event_ids</c> (no cache, so they are handed out in the order appends
/// to a group commit: an append holds its group's row lock). Names sort as bytes (collation "C"), as SQLite's do;
/// messages are the UTF-8 bytes the SQLite store keeps, so substring tests and byte counts agree.
/// </summary>
internal static class PostgresLogSchema
{
    private const string Component = "logs";

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE log_groups (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name           text COLLATE "C" NOT NULL UNIQUE,
            creation_time  bigint NOT NULL,
            retention_days integer,
            stored_bytes   bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE log_streams (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            group_id       bigint NOT NULL,
            name           text COLLATE "C" NOT NULL,
            creation_time  bigint NOT NULL,
            first_ts       bigint,
            last_ts        bigint,
            last_ingestion bigint,
            stored_bytes   bigint NOT NULL DEFAULT 0,
            source_offset  bigint NOT NULL DEFAULT 0,
            UNIQUE (group_id, name)
        );
        CREATE SEQUENCE log_event_ids CACHE 1;
        CREATE TABLE log_events (
            id        bigint PRIMARY KEY,
            group_id  bigint NOT NULL,
            stream_id bigint NOT NULL,
            ts        bigint NOT NULL,
            ingestion bigint NOT NULL,
            message   bytea  NOT NULL
        );
        CREATE INDEX log_events_stream_ts ON log_events (stream_id, ts, id);
        CREATE INDEX log_events_group_ts ON log_events (group_id, ts, id);
        CREATE TABLE log_purges (
            kind text   NOT NULL,
            id   bigint NOT NULL,
            PRIMARY KEY (kind, id)
        );
        """,
    ];

    public static Task ApplyAsync(NpgsqlDataSource source, CancellationToken ct) => PostgresMigrator.ApplyAsync(source, Component, Steps, ct);
}
