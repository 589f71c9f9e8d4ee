using Gantry.Logs.Sqlite;

namespace Gantry.Logs.Tests.Sqlite;

/// <summary>A store in its own temporary directory, deleted on dispose; <see cref="ReopenAsync"/> keeps the file.</summary>
internal sealed class TempLogStore : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-logs-").FullName;

    private TempLogStore()
    {
    }

    public SqliteLogStore Store { get; private set; } = null!;

    public string Path => System.IO.Path.Combine(_directory, "logs.db");

    /// <summary>Bounds every call of a test: the store's lock waits observe it.</summary>
    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public static async Task<TempLogStore> OpenAsync()
    {
        var temp = new TempLogStore();
        temp.Store = await SqliteLogStore.OpenAsync(temp.Path, Timeout);
        return temp;
    }

    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await SqliteLogStore.OpenAsync(Path, Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
