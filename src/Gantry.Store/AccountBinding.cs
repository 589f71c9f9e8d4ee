using System.Text.Json;

namespace Gantry.Store;

/// <summary>
/// The AWS account id and region a store's ARNs are issued in. Recorded by the first start; every later start
/// must name the same ones, because ARNs are built from them (and stored inside documents such as services'
/// task definitions): another account or region would silently rename every resource.
/// </summary>
public static class AccountBinding
{
    public const string Kind = "store-setting";
    public const string Key = "account";

    /// <summary>Records <paramref name="accountId"/> and <paramref name="region"/>, or checks them against the recorded ones.</summary>
    /// <exception cref="AccountMismatchException">The store was created for another account id or region.</exception>
    public static async Task BindAsync(IStateStore store, string accountId, string region, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var wanted = new BoundAccount(accountId, region);
        while (true)
        {
            var stored = await store.GetAsync(Kind, Key, ct).ConfigureAwait(false);
            if (stored is not null)
            {
                var recorded = JsonSerializer.Deserialize<BoundAccount>(stored.Body)!;
                if (recorded != wanted)
                {
                    throw new AccountMismatchException(recorded, wanted);
                }
                return;
            }
            try
            {
                await store.CommitAsync([new PutOp(Kind, Key, JsonSerializer.Serialize(wanted), WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Recorded at the same moment by another start: compare with theirs.
            }
        }
    }
}

public sealed record BoundAccount(string AccountId, string Region);

public sealed class AccountMismatchException(BoundAccount recorded, BoundAccount requested)
    : Exception($"this data directory holds account {recorded.AccountId} in region {recorded.Region}, not account {requested.AccountId} in region {requested.Region}. " +
        "ARNs name the account and region, so a data directory keeps the ones it was created with: " +
        $"start with --account-id {recorded.AccountId} --region {recorded.Region}, or use another --data-dir.")
{
    public BoundAccount Recorded { get; } = recorded;
    public BoundAccount Requested { get; } = requested;
}
