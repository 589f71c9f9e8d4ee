using Gantry.Logs;

namespace Gantry.Logs.Tests.Sqlite;

public sealed class FileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_log_database_and_its_wal_and_shm_files_are_0600()
    {
        await using var temp = await TempLogStore.OpenAsync();
        await temp.Store.CreateGroupAsync("/g", 1, TempLogStore.Timeout);
        await temp.Store.AppendAsync("/g", "s", [new NewLogEvent(1, "hello")], 2, createMissing: true, TempLogStore.Timeout);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path + "-shm"));
    }
}
