namespace Gantry.Store;

/// <summary>
/// The store could not be reached: its server is down, restarting or refusing connections, or the connection broke
/// mid-call. Nothing is wrong with the call itself; the caller may try again later. A commit that ends with this may or
/// may not have been applied (the answer was lost), so a retry must check (versions do: a repeated write conflicts).
/// </summary>
public sealed class StoreUnavailableException(string reason, Exception innerException)
    : Exception($"The state store is unavailable: {reason}", innerException)
{
    public string Reason { get; } = reason;
}
