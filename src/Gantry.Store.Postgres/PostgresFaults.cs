using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Which failures mean PostgreSQL cannot be reached (<see cref="StoreUnavailableException"/>) rather than a fault of
/// the call: anything Npgsql raises without a server error (connection refused, reset, timed out, pool exhausted),
/// and the server's own connection exceptions (SQLSTATE class 08), operator intervention (57P01 admin shutdown,
/// 57P02 crash shutdown, 57P03 cannot connect now) and insufficient resources (class 53, e.g. too many connections).
/// </summary>
public static class PostgresFaults
{
    public static bool MeansUnavailable(NpgsqlException e) => e is not PostgresException server
        || server.SqlState.StartsWith("08", StringComparison.Ordinal)
        || server.SqlState.StartsWith("57P", StringComparison.Ordinal)
        || server.SqlState.StartsWith("53", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="call"/>, raising <see cref="StoreUnavailableException"/> for the failures that mean so.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (MeansUnavailable(e))
        {
            throw new StoreUnavailableException(e is PostgresException server ? $"{server.SqlState} {server.MessageText}" : e.Message, e);
        }
    }
}
