using Gantry.Store.Sqlite;
using Gantry.Store.Tests.Contract;

namespace Gantry.Store.Tests.Sqlite;

/// <summary>The store contract on the embedded backend: one SQLite file in a temporary directory.</summary>
public sealed class SqliteStateStoreTests : StateStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-store-").FullName;

    protected override async Task<IStateStore> OpenAsync() => await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);

    protected override Task RemoveDatabaseAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
