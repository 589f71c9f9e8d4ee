using Gantry.Logs.Sqlite;
using Gantry.Logs.Tests.Contract;

namespace Gantry.Logs.Tests.Sqlite;

public sealed class FileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_log_database_and_its_wal_and_shm_files_are_0600()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-logs-").FullName;
        try
        {
            var path = Path.Combine(directory, "logs.db");
            await using (var store = await SqliteLogStore.OpenAsync(path, TempLogStore.Timeout))
            {
                await store.CreateGroupAsync("/g", 1, TempLogStore.Timeout);
                await store.AppendAsync("/g", "s", [new NewLogEvent(1, "hello")], 2, createMissing: true, TempLogStore.Timeout);

                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-wal"));
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-shm"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
