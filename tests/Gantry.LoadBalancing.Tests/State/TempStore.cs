using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;

namespace Gantry.LoadBalancing.Tests.State;

/// <summary>A real SQLite store in a temporary directory, deleted on dispose.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _directory;

    private TempStore(string directory, IStateStore store)
    {
        _directory = directory;
        Documents = new Documents(store, AwsJson.Options);
    }

    public Documents Documents { get; }

    public static async Task<TempStore> OpenAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-lb-").FullName;
        return new TempStore(directory, await SqliteStateStore.OpenAsync(Path.Combine(directory, "state.db"), default));
    }

    public Task PutAsync<T>(string kind, string key, T value) =>
        Documents.Store.CommitAsync([Documents.Put(kind, key, value, null)], default);

    public async ValueTask DisposeAsync()
    {
        await Documents.Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
