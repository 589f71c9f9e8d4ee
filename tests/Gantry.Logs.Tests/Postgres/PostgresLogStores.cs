using Gantry.Logs.Postgres;
using Gantry.Logs.Tests.Contract;
using Gantry.Testing.Postgres;

namespace Gantry.Logs.Tests.Postgres;

/// <summary>One PostgreSQL server for every PostgreSQL log store test class; a fresh database per test.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresLogStores : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres log stores";

    public static async Task<TempLogStore> OpenAsync(PostgresServer server)
    {
        var database = await server.CreateDatabaseAsync();
        return await TempLogStore.OpenAsync(async () => await PostgresLogStore.OpenAsync(database, TempLogStore.Timeout),
            () => server.DropDatabaseAsync(database));
    }
}
