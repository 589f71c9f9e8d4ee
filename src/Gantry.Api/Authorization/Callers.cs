using System.Collections.Concurrent;
using Gantry.Api.Sts;
using Gantry.Auth.Keys;
using Gantry.Auth.Sessions;
using Gantry.Domain.Arns;
using Gantry.Iam;
using Gantry.Iam.Policies;

namespace Gantry.Api.Authorization;

/// <summary>
/// The principal behind an access key: the account root for the root key, an IAM user for a user's key, and for STS
/// credentials what their session token says (read from the token SigV4 verified: <see cref="SessionTokens.ClaimsOf"/>)
/// — a role session with the role's policies and the session policy, or the user or root that asked GetSessionToken.
/// Resolved callers are cached per key until IAM changes on this replica (<see cref="IamDirectory.Generation"/>) and for
/// at most <see cref="CacheFor"/>, so another replica's change is seen within it (IAM is eventually consistent in AWS too).
/// </summary>
public sealed class Callers(AccessKeyStore keys, SessionTokens sessions, IamDirectory iam, PolicyCache policies, AwsAccount account, TimeProvider time)
    : ICallerSource
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (Caller? Caller, long Generation, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<Caller?> FindAsync(string accessKeyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        var generation = iam.Generation;
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(accessKeyId, out var cached) && cached.Generation == generation && cached.Until > now)
        {
            return cached.Caller;
        }
        var caller = await ResolveAsync(accessKeyId, ct).ConfigureAwait(false);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }
        _cache[accessKeyId] = (caller, generation, now + CacheFor);
        return caller;
    }

    private async Task<Caller?> ResolveAsync(string accessKeyId, CancellationToken ct)
    {
        if (sessions.ClaimsOf(accessKeyId) is { } claims)
        {
            return claims switch
            {
                { Root: true } => Root(),
                { RoleName: { } role, SessionName: { } session } => await RoleSessionAsync(role, session, claims, ct).ConfigureAwait(false),
                { UserName: { } user } => await UserAsync(user, ct).ConfigureAwait(false),
                _ => null,
            };
        }
        return await keys.FindOwnerAsync(accessKeyId, ct).ConfigureAwait(false) switch
        {
            { IsRoot: true } => Root(),
            { UserName: { } user } => await UserAsync(user, ct).ConfigureAwait(false),
            _ => null,
        };
    }

    private Caller Root() => new(CallerKind.Root, account.Root, account.AccountId, account.AccountId, null, null, new Dictionary<string, string>(), []);

    private async Task<Caller?> UserAsync(string userName, CancellationToken ct) =>
        await iam.FindUserAsync(userName, ct).ConfigureAwait(false) is { } user
            ? new Caller(CallerKind.User, user.Arn, user.Id, account.AccountId, user.Name, null, user.Tags, Compile(user.PolicyDocuments))
            : null;

    private async Task<Caller?> RoleSessionAsync(string roleName, string sessionName, SessionClaims claims, CancellationToken ct)
    {
        if (await iam.FindRoleAsync(roleName, ct).ConfigureAwait(false) is not { } role)
        {
            return null;
        }
        var tags = new Dictionary<string, string>(role.Tags, StringComparer.Ordinal);
        foreach (var (key, value) in claims.Tags ?? new Dictionary<string, string>())
        {
            tags[key] = value;
        }
        return new Caller(CallerKind.AssumedRole, StsSessions.AssumedRoleArn(account, role.Name, sessionName), $"{role.RoleId}:{sessionName}", account.AccountId,
            null, role.Arn, tags, Compile(role.PolicyDocuments),
            claims.SessionPolicy is { } policy ? policies.GetOrParse(policy, PolicyKind.Identity) : null);
    }

    /// <summary>The principal's stored policies, compiled; one IAM's grammar refuses (stored before it was checked) grants nothing.</summary>
    private List<CompiledPolicy> Compile(IReadOnlyList<string> documents)
    {
        var compiled = new List<CompiledPolicy>(documents.Count);
        foreach (var document in documents)
        {
            try
            {
                compiled.Add(policies.GetOrParse(document, PolicyKind.Identity));
            }
            catch (MalformedPolicyDocumentException)
            {
                // Nothing to allow from it.
            }
        }
        return compiled;
    }
}
