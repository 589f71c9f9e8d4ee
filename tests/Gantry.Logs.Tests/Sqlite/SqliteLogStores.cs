using Gantry.Logs.Sqlite;

namespace Gantry.Logs.Tests.Sqlite;

/// <summary>SQLite log stores for the tests, each in its own temporary directory.</summary>
internal static class SqliteLogStores
{
    public static Task<Contract.TempLogStore> OpenAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-logs-").FullName;
        return Contract.TempLogStore.OpenAsync(
            async () => await SqliteLogStore.OpenAsync(Path.Combine(directory, "logs.db"), Contract.TempLogStore.Timeout),
            () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
                return Task.CompletedTask;
            });
    }
}
