using Gantry.Logs.Tests.Contract;
using Gantry.Testing.Postgres;

namespace Gantry.Logs.Tests.Postgres;

// The log store contract on the shared backend.

[Collection(PostgresLogStores.Name)]
public sealed class PostgresAppendTests(PostgresServer server) : AppendTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}

[Collection(PostgresLogStores.Name)]
public sealed class PostgresFilterEventsTests(PostgresServer server) : FilterEventsTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}

[Collection(PostgresLogStores.Name)]
public sealed class PostgresGroupTests(PostgresServer server) : GroupTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}

[Collection(PostgresLogStores.Name)]
public sealed class PostgresRetentionTests(PostgresServer server) : RetentionTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}

[Collection(PostgresLogStores.Name)]
public sealed class PostgresStreamEventsTests(PostgresServer server) : StreamEventsTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}

[Collection(PostgresLogStores.Name)]
public sealed class PostgresStreamTests(PostgresServer server) : StreamTests
{
    protected override Task<TempLogStore> OpenAsync() => PostgresLogStores.OpenAsync(server);
}
