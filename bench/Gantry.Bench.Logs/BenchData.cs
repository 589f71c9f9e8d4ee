using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gantry.Logs;
using Microsoft.Data.Sqlite;

namespace Gantry.Bench.Logs;

/// <summary>A short run in this process (no generated project to build): 3 warmups, 3 measured iterations.</summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}

/// <summary>Fixed invocations per iteration, so the append files stay a few hundred MB.</summary>
public sealed class AppendConfig : ManualConfig
{
    public AppendConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithInvocationCount(16).WithUnrollFactor(1));
}

internal static class BenchData
{
    public const string RareTerm = "needle";
    public const string CommonTerm = "status=500";

    /// <summary>An ~80-byte access-log line; every 10th is a 500, every 100,000th carries the rare term.</summary>
    public static string Message(long i) => string.Create(CultureInfo.InvariantCulture,
        $"10.0.{i % 256}.{i % 200} GET /api/v1/items/{i:D8} status={(i % 10 == 3 ? 500 : 200)} ms={i % 97} {(i % 100_000 == 77_777 ? RareTerm : "ok")}");

    public static NewLogEvent[] Batch(long first, int count, long timestamp) =>
        [.. Enumerable.Range(0, count).Select(i => new NewLogEvent(timestamp + ((first + i) / 10), Message(first + i)))];

    public static string TempDirectory(string name) => Directory.CreateTempSubdirectory($"gantry-bench-{name}-").FullName;

    /// <summary>A plain SQLite file with the store's durability settings and an events table without indexes.</summary>
    public static SqliteConnection OpenPlain(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, stream_id INTEGER NOT NULL,
                ts INTEGER NOT NULL, ingestion INTEGER NOT NULL, message TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Inserts <paramref name="events"/> in one transaction with one prepared statement.</summary>
    public static void PlainInsert(SqliteConnection connection, NewLogEvent[] events, long streamId)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO events (group_id, stream_id, ts, ingestion, message) VALUES (1, $stream, $ts, 0, $message)";
        var stream = insert.Parameters.Add("$stream", SqliteType.Integer);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        var message = insert.Parameters.Add("$message", SqliteType.Text);
        insert.Prepare();
        stream.Value = streamId;
        foreach (var e in events)
        {
            ts.Value = e.Timestamp;
            message.Value = e.Message;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
