using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gantry.Logs.Sqlite;

/// <summary>
/// Ordered schema steps of the log database; <c>user_version</c> counts the steps applied. Append new steps;
/// never edit a released one. Group and stream ids never repeat (AUTOINCREMENT), so events of a deleted
/// group still waiting in <c>purges</c> can never show up in a new group of the same name; event ids come
/// from <c>meta.next_event_id</c> so they never repeat either.
/// </summary>
internal static class LogSchema
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE groups (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            name           TEXT    NOT NULL UNIQUE,
            creation_time  INTEGER NOT NULL,
            retention_days INTEGER,
            stored_bytes   INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE streams (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id       INTEGER NOT NULL,
            name           TEXT    NOT NULL,
            creation_time  INTEGER NOT NULL,
            first_ts       INTEGER,
            last_ts        INTEGER,
            last_ingestion INTEGER,
            stored_bytes   INTEGER NOT NULL DEFAULT 0,
            source_offset  INTEGER NOT NULL DEFAULT 0,
            UNIQUE (group_id, name)
        );
        CREATE TABLE events (
            id        INTEGER PRIMARY KEY,
            group_id  INTEGER NOT NULL,
            stream_id INTEGER NOT NULL,
            ts        INTEGER NOT NULL,
            ingestion INTEGER NOT NULL,
            message   TEXT    NOT NULL
        );
        CREATE INDEX events_stream_ts ON events (stream_id, ts);
        CREATE INDEX events_group_ts ON events (group_id, ts);
        CREATE TABLE purges (
            kind TEXT    NOT NULL,
            id   INTEGER NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        CREATE TABLE meta (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO meta (name, value) VALUES ('next_event_id', 1);
        """,
    ];

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var current = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (current > Steps.Length)
        {
            throw new InvalidOperationException($"The log database schema (version {current}) is newer than this Gantry ({Steps.Length}).");
        }
        for (var step = current; step < Steps.Length; step++)
        {
            Scalar(connection, transaction, Steps[step]);
        }
        Scalar(connection, transaction, $"PRAGMA user_version = {Steps.Length};");
        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
