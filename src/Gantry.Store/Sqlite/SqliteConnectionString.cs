using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>How Gantry opens its SQLite databases: created if missing, owner-only, no ADO.NET pooling (<see cref="SqlitePool{TWriter, TReader}"/> pools).</summary>
public static class SqliteConnectionString
{
    /// <summary>
    /// The connection string for the database at <paramref name="path"/>, whose file is made 0600 first: created
    /// empty when missing (SQLite would create it 0644 less the umask), set to 0600 when present, with any -wal and
    /// -shm files a previous run left. SQLite gives the -wal and -shm files it creates the database file's mode.
    /// </summary>
    public static string ForPrivateFile(string path)
    {
        PrivateFiles.Touch(path);
        PrivateFiles.Restrict(path + "-wal");
        PrivateFiles.Restrict(path + "-shm");
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }
}
