using Gantry.Logs.Tests.Contract;

namespace Gantry.Logs.Tests.Sqlite;

// The log store contract on the embedded backend.

public sealed class SqliteAppendTests : AppendTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}

public sealed class SqliteFilterEventsTests : FilterEventsTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}

public sealed class SqliteGroupTests : GroupTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}

public sealed class SqliteRetentionTests : RetentionTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}

public sealed class SqliteStreamEventsTests : StreamEventsTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}

public sealed class SqliteStreamTests : StreamTests
{
    protected override Task<TempLogStore> OpenAsync() => SqliteLogStores.OpenAsync();
}
