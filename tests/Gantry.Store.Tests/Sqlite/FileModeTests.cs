using Gantry.Store.Sqlite;

namespace Gantry.Store.Tests.Sqlite;

/// <summary>The database and SQLite's -wal and -shm files are owner-only, whatever the directory's mode and the umask allow.</summary>
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-store-modes-").FullName;

    public FileModeTests() => File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute); // 0755, as in the issue

    private string DatabasePath => Path.Combine(_directory, "state.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_new_database_and_its_wal_and_shm_files_are_0600_in_a_0755_directory()
    {
        await using var store = await SqliteStateStore.OpenAsync(DatabasePath, default);
        await store.CommitAsync([new PutOp("k", "a", "1")], default);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath + "-shm"));
    }

    [Fact]
    public async Task Files_an_earlier_version_left_world_readable_are_made_0600_on_open()
    {
        await (await SqliteStateStore.OpenAsync(DatabasePath, default)).DisposeAsync();
        File.SetUnixFileMode(DatabasePath, WorldReadable);
        File.WriteAllBytes(DatabasePath + "-wal", []);
        File.SetUnixFileMode(DatabasePath + "-wal", WorldReadable);

        await using var store = await SqliteStateStore.OpenAsync(DatabasePath, default);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath + "-shm"));
    }
}
