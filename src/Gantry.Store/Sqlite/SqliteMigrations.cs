using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// Ordered schema steps. The database's <c>user_version</c> counts the steps applied; opening applies the
/// missing ones in one transaction. Append new steps; never edit a released one.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE objects (
            kind     TEXT    NOT NULL,
            key      TEXT    NOT NULL,
            version  INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            body     TEXT    NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE changes (
            revision INTEGER NOT NULL,
            seq      INTEGER NOT NULL,
            kind     TEXT    NOT NULL,
            key      TEXT    NOT NULL,
            version  INTEGER NOT NULL,
            body     TEXT,
            PRIMARY KEY (revision, seq)
        ) WITHOUT ROWID;
        CREATE TABLE meta (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO meta (name, value) VALUES ('revision', 0);
        """,
    ];

    public static int Latest => Steps.Length;

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var current = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Steps.Length)
        {
            throw new InvalidOperationException($"The database schema (version {current}) is newer than this Gantry ({Steps.Length}).");
        }
        for (var step = current; step < Steps.Length; step++)
        {
            Execute(connection, transaction, Steps[step]);
        }
        Execute(connection, transaction, $"PRAGMA user_version = {Steps.Length};");
        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
