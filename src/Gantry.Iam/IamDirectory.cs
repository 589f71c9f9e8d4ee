using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>A user as policy enforcement sees it: its identity policies as JSON texts.</summary>
public sealed record IamPrincipal(string Arn, string Id, string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> PolicyDocuments);

/// <summary>A role as STS AssumeRole and enforcement see it: its trust policy and its identity policies as JSON texts.</summary>
public sealed record IamRoleView(string Arn, string RoleId, string Name, string TrustPolicyDocument, int MaxSessionDurationSeconds,
    IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> PolicyDocuments);

/// <summary>
/// The account's IAM identities: the parts that change them (<see cref="Entities"/>, <see cref="Users"/>,
/// <see cref="Roles"/>, <see cref="Policies"/>, <see cref="AccessKeys"/>) and the reads policy enforcement makes.
/// </summary>
public sealed class IamDirectory
{
    private readonly IamStore _store;

    public IamDirectory(Documents documents, AwsAccount account, AccessKeyStore keys, AccessKeyUsage usage, TimeProvider time)
    {
        _store = new IamStore(documents, account);
        Entities = new IamEntities(_store, time);
        Users = new IamUsers(_store, keys);
        Roles = new IamRoles(Entities);
        Policies = new ManagedPolicies(_store, time);
        AccessKeys = new IamAccessKeys(_store, keys, usage);
        Keys = keys;
    }

    public IamStore Store => _store;
    public IamEntities Entities { get; }
    public IamUsers Users { get; }
    public IamRoles Roles { get; }
    public ManagedPolicies Policies { get; }
    public IamAccessKeys AccessKeys { get; }
    public AccessKeyStore Keys { get; }

    /// <summary>Bumped (in memory) on every IAM write this process commits: callers may cache per generation; other
    /// replicas' writes are seen within a short TTL the caller applies.</summary>
    public long Generation => _store.Generation;

    /// <summary>The user's identity policies (inline, attached managed defaults, and the same of each of its groups); null when no such user.</summary>
    public async Task<IamPrincipal?> FindUserAsync(string userName, CancellationToken ct)
    {
        if (await _store.FindAsync(EntityKind.User, userName, ct).ConfigureAwait(false) is not { } found)
        {
            return null;
        }
        var user = found.Value;
        var documents = await PolicyDocumentsAsync(user, ct).ConfigureAwait(false);
        foreach (var groupName in user.Groups)
        {
            if (await _store.FindAsync(EntityKind.Group, groupName, ct).ConfigureAwait(false) is { } group)
            {
                documents.AddRange(await PolicyDocumentsAsync(group.Value, ct).ConfigureAwait(false));
            }
        }
        return new IamPrincipal(_store.Arn(user), user.Id, user.Name, TagsOf(user.Tags), documents);
    }

    /// <summary>A role by name or ARN, with its inline and attached managed (default version) policies; null when none.</summary>
    public async Task<IamRoleView?> FindRoleAsync(string roleNameOrArn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roleNameOrArn);
        var isArn = roleNameOrArn.StartsWith("arn:", StringComparison.Ordinal);
        var name = isArn ? roleNameOrArn[(roleNameOrArn.LastIndexOf('/') + 1)..] : roleNameOrArn;
        if (name.Length == 0 || await _store.FindAsync(EntityKind.Role, name, ct).ConfigureAwait(false) is not { } found
            || (isArn && _store.Arn(found.Value) != roleNameOrArn))
        {
            return null;
        }
        var role = found.Value;
        return new IamRoleView(_store.Arn(role), role.Id, role.Name, role.TrustPolicy!, role.MaxSessionDuration ?? IamRoles.DefaultMaxSession,
            TagsOf(role.Tags), await PolicyDocumentsAsync(role, ct).ConfigureAwait(false));
    }

    private async Task<List<string>> PolicyDocumentsAsync(IamEntity entity, CancellationToken ct)
    {
        var documents = new List<string>(entity.InlinePolicies.Values);
        foreach (var policyName in entity.AttachedPolicies)
        {
            if (await _store.FindPolicyAsync(policyName, ct).ConfigureAwait(false) is { } policy)
            {
                documents.Add(policy.Value.Default.Document);
            }
        }
        return documents;
    }

    private static Dictionary<string, string> TagsOf(IReadOnlyList<IamTagValue> tags) => tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
