using Gantry.Auth.Keys;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>What only users and groups have: renaming or moving a user (everything naming it follows), and group membership.</summary>
public sealed class IamUsers(IamStore store, AccessKeyStore keys)
{
    /// <summary>
    /// Renames and/or moves a user in one commit: the new document replaces the old, and its groups' member lists, its
    /// attached policies' attachments and its access keys' owner change with it.
    /// </summary>
    public Task UpdateAsync(string name, string? newName, string? newPath, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var found = await store.GetAsync(EntityKind.User, name, ct).ConfigureAwait(false);
        var user = found.Value;
        var renamed = newName ?? name;
        var moved = user with { Name = renamed, Path = newPath ?? user.Path };
        if (renamed == name)
        {
            await store.CommitAsync([store.Put(moved, found.Version)], ct).ConfigureAwait(false);
            return;
        }
        if (await store.FindAsync(EntityKind.User, renamed, ct).ConfigureAwait(false) is not null)
        {
            throw IamErrors.Exists(EntityKind.User, renamed);
        }
        var writes = new List<WriteOp> { new DeleteOp(IamStore.KindOf(EntityKind.User), name, found.Version), store.Put(moved, WriteOp.MustNotExist) };
        foreach (var groupName in user.Groups)
        {
            var group = await store.GetAsync(EntityKind.Group, groupName, ct).ConfigureAwait(false);
            writes.Add(store.Put(group.Value with { Members = [.. group.Value.Members.Select(m => m == name ? renamed : m)] }, group.Version));
        }
        var before = new EntityRef(EntityKind.User, name);
        foreach (var policyName in user.AttachedPolicies)
        {
            if (await store.FindPolicyAsync(policyName, ct).ConfigureAwait(false) is { } policy)
            {
                writes.Add(store.Put(policy.Value with
                {
                    Attachments = [.. policy.Value.Attachments.Select(a => a == before ? new EntityRef(EntityKind.User, renamed) : a)],
                }, policy.Version));
            }
        }
        foreach (var keyId in user.AccessKeys)
        {
            if (await keys.FindRecordAsync(keyId, ct).ConfigureAwait(false) is { } key)
            {
                writes.Add(AccessKeyStore.Replace(key.Record with { UserName = renamed }, key.Version));
            }
        }
        await store.CommitAsync(writes, ct).ConfigureAwait(false);
        foreach (var keyId in user.AccessKeys)
        {
            keys.Invalidate(keyId);
        }
    });

    /// <summary>Adds a user to a group (nothing when it is already in): both documents in one commit.</summary>
    public Task AddToGroupAsync(string groupName, string userName, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var group = await store.GetAsync(EntityKind.Group, groupName, ct).ConfigureAwait(false);
        var user = await store.GetAsync(EntityKind.User, userName, ct).ConfigureAwait(false);
        if (group.Value.Members.Contains(userName))
        {
            return;
        }
        if (user.Value.Groups.Count >= 10)
        {
            throw IamErrors.Limit("Cannot exceed quota for GroupsPerUser: 10");
        }
        await store.CommitAsync([
            store.Put(group.Value with { Members = [.. group.Value.Members, userName] }, group.Version),
            store.Put(user.Value with { Groups = [.. user.Value.Groups, groupName] }, user.Version),
        ], ct).ConfigureAwait(false);
    });

    public Task RemoveFromGroupAsync(string groupName, string userName, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var group = await store.GetAsync(EntityKind.Group, groupName, ct).ConfigureAwait(false);
        var user = await store.GetAsync(EntityKind.User, userName, ct).ConfigureAwait(false);
        if (!group.Value.Members.Contains(userName))
        {
            throw IamErrors.NoSuch(EntityKind.User, userName);
        }
        await store.CommitAsync([
            store.Put(group.Value with { Members = [.. group.Value.Members.Where(m => m != userName)] }, group.Version),
            store.Put(user.Value with { Groups = [.. user.Value.Groups.Where(g => g != groupName)] }, user.Version),
        ], ct).ConfigureAwait(false);
    });

    /// <summary>The entities a list of names refers to (a user's groups, a group's users), in that order.</summary>
    public async Task<IReadOnlyList<IamEntity>> ResolveAsync(EntityKind kind, IEnumerable<string> names, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(names);
        var found = new List<IamEntity>();
        foreach (var name in names)
        {
            if (await store.FindAsync(kind, name, ct).ConfigureAwait(false) is { } entity)
            {
                found.Add(entity.Value);
            }
        }
        return found;
    }
}
