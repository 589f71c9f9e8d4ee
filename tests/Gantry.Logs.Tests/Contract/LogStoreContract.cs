namespace Gantry.Logs.Tests.Contract;

/// <summary>
/// What every <see cref="ILogStore"/> promises (tokens, orders, paging, filter patterns, retention, purges, source
/// offsets), in classes by area that each backend runs through a subclass: Sqlite/ and Postgres/.
/// </summary>
public abstract class LogStoreContract
{
    protected static CancellationToken Ct => TempLogStore.Timeout;

    /// <summary>A store over a new, empty database of the backend.</summary>
    protected abstract Task<TempLogStore> OpenAsync();
}
