using Microsoft.Data.Sqlite;

namespace Gantry.Logs.Sqlite;

/// <summary>One SQLite connection to the log database with its prepared statements and the lookups readers and the writer share.</summary>
internal abstract class LogConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    protected LogConnection(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
    }

    protected SqliteConnection Connection { get; }

    /// <summary>The transaction statements run in (the writer's current one; null for readers).</summary>
    protected SqliteTransaction? Transaction { get; set; }

    public virtual void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        Connection.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A statement kept for the life of the connection, its parameters cleared, in the current transaction.</summary>
    protected SqliteCommand Prepared(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = Transaction;
        return command;
    }

    protected long? FindGroup(string group)
    {
        var command = Prepared("SELECT id FROM groups WHERE name = $name");
        command.Parameters.AddWithValue("$name", group);
        return command.ExecuteScalar() is long id ? id : null;
    }

    protected (long Id, long SourceOffset)? FindStream(long groupId, string stream)
    {
        var command = Prepared("SELECT id, source_offset FROM streams WHERE group_id = $group AND name = $name");
        command.Parameters.AddWithValue("$group", groupId);
        command.Parameters.AddWithValue("$name", stream);
        using var rows = command.ExecuteReader();
        return rows.Read() ? (rows.GetInt64(0), rows.GetInt64(1)) : null;
    }
}
