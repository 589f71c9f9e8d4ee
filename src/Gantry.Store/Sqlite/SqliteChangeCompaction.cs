using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The change feed's lower bound: <c>meta.compacted</c> is the revision the feed is compacted through (absent: 0, nothing
/// forgotten). A compaction step deletes the changes of at most <see cref="StepRevisions"/> revisions and moves the
/// bound in the same transaction, so the writer is held briefly however far behind the feed is.
/// </summary>
internal static class SqliteChangeCompaction
{
    /// <summary>How many revisions' changes one transaction deletes.</summary>
    public const int StepRevisions = 5_000;

    public const string CompactedSql = "SELECT value FROM meta WHERE name = 'compacted'";

    /// <summary>Compacts towards <paramref name="target"/> by one step; returns the revision now compacted through.</summary>
    public static long Step(SqliteConnection connection, long target)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var compacted = Read(connection, transaction);
        if (compacted >= target)
        {
            return compacted;
        }
        var through = Math.Min(target, compacted + StepRevisions);
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM changes WHERE revision > $from AND revision <= $through";
            delete.Parameters.AddWithValue("$from", compacted);
            delete.Parameters.AddWithValue("$through", through);
            delete.ExecuteNonQuery();
        }
        using (var bound = connection.CreateCommand())
        {
            bound.Transaction = transaction;
            bound.CommandText = "INSERT INTO meta (name, value) VALUES ('compacted', $through) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)";
            bound.Parameters.AddWithValue("$through", through);
            bound.ExecuteNonQuery();
        }
        transaction.Commit();
        return through;
    }

    public static long Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CompactedSql;
        return command.ExecuteScalar() is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
    }
}
