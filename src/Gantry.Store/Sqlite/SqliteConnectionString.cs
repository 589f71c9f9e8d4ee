using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>How Gantry opens its SQLite databases: created if missing, no ADO.NET pooling (<see cref="SqlitePool{TWriter, TReader}"/> pools).</summary>
public static class SqliteConnectionString
{
    public static string For(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();
}
