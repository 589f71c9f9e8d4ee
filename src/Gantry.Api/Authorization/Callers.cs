using Gantry.Auth.Keys;
using Gantry.Auth.Sessions;
using Gantry.Domain.Arns;

namespace Gantry.Api.Authorization;

/// <summary>
/// The principal behind an access key: the account root for the root key and its GetSessionToken sessions, read from
/// the key store and from the session token SigV4 verified (<see cref="SessionTokens.ClaimsOf"/>).
/// </summary>
public sealed class Callers(AccessKeyStore keys, SessionTokens sessions, AwsAccount account) : ICallerSource
{
    public async ValueTask<Caller?> FindAsync(string accessKeyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        if (sessions.ClaimsOf(accessKeyId) is { } claims)
        {
            return claims.Root ? Root() : null;
        }
        return (await keys.FindOwnerAsync(accessKeyId, ct).ConfigureAwait(false))?.IsRoot == true ? Root() : null;
    }

    private Caller Root() => new(CallerKind.Root, account.Root, account.AccountId, account.AccountId, null, null, new Dictionary<string, string>(), []);
}
