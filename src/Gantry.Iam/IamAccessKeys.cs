using Gantry.Auth.Keys;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>
/// IAM users' access keys: at most <see cref="MaxPerUser"/>, created, switched and deleted in one commit with their
/// user's document (which lists them), so neither a third key nor a key of a deleted user can slip in. Only keys an IAM
/// user lists are reachable here: the root key never is. A change drops this process's cached secret at once.
/// </summary>
public sealed class IamAccessKeys(IamStore store, AccessKeyStore keys, AccessKeyUsage usage)
{
    public const int MaxPerUser = 2;

    public Task<AccessKey> CreateAsync(string userName, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var user = await store.GetAsync(EntityKind.User, userName, ct).ConfigureAwait(false);
        if (user.Value.AccessKeys.Count >= MaxPerUser)
        {
            throw IamErrors.Limit($"Cannot exceed quota for AccessKeysPerUser: {MaxPerUser}");
        }
        var pending = keys.Prepare(userName);
        await store.CommitAsync([pending.Write, store.Put(user.Value with { AccessKeys = [.. user.Value.AccessKeys, pending.Key.AccessKeyId] }, user.Version)], ct)
            .ConfigureAwait(false);
        return pending.Key;
    });

    /// <summary>The user's keys, oldest first.</summary>
    public async Task<IReadOnlyList<AccessKeyRecord>> ListAsync(string userName, CancellationToken ct)
    {
        var user = await store.GetAsync(EntityKind.User, userName, ct).ConfigureAwait(false);
        var found = new List<AccessKeyRecord>();
        foreach (var id in user.Value.AccessKeys)
        {
            if (await keys.FindRecordAsync(id, ct).ConfigureAwait(false) is { } key)
            {
                found.Add(key.Record);
            }
        }
        return [.. found.OrderBy(k => k.CreatedAt)];
    }

    /// <summary>Sets a key Active or Inactive; an inactive key stops authenticating on this replica at once.</summary>
    public Task UpdateAsync(string userName, string accessKeyId, string status, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var (user, key) = await FindAsync(userName, accessKeyId, ct).ConfigureAwait(false);
        await store.CommitAsync([AccessKeyStore.Replace(key.Record with { Status = status }, key.Version), new CheckOp(IamStore.KindOf(EntityKind.User), userName, user.Version)], ct)
            .ConfigureAwait(false);
        keys.Invalidate(accessKeyId);
    });

    public Task DeleteAsync(string userName, string accessKeyId, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var (user, key) = await FindAsync(userName, accessKeyId, ct).ConfigureAwait(false);
        await store.CommitAsync([
            new DeleteOp(AccessKeyStore.Kind, accessKeyId, key.Version),
            AccessKeyUsage.DeleteOf(accessKeyId),
            store.Put(user.Value with { AccessKeys = [.. user.Value.AccessKeys.Where(k => k != accessKeyId)] }, user.Version),
        ], ct).ConfigureAwait(false);
        keys.Invalidate(accessKeyId);
        usage.Forget(accessKeyId);
    });

    /// <summary>The IAM user a key belongs to (null for the root key and keys of no IAM user) and its last use.</summary>
    public async Task<(string? UserName, AccessKeyLastUse? LastUse)> LastUsedAsync(string accessKeyId, CancellationToken ct)
    {
        if (await keys.FindOwnerAsync(accessKeyId, ct).ConfigureAwait(false) is not { IsRoot: false } owner
            || await store.FindAsync(EntityKind.User, owner.UserName, ct).ConfigureAwait(false) is not { } user
            || !user.Value.AccessKeys.Contains(accessKeyId))
        {
            throw IamErrors.NoSuchAccessKey(accessKeyId);
        }
        return (owner.UserName, await usage.FindAsync(accessKeyId, ct).ConfigureAwait(false));
    }

    private async Task<(Versioned<IamEntity> User, (AccessKeyRecord Record, long Version) Key)> FindAsync(string userName, string accessKeyId, CancellationToken ct)
    {
        var user = await store.GetAsync(EntityKind.User, userName, ct).ConfigureAwait(false);
        if (!user.Value.AccessKeys.Contains(accessKeyId) || await keys.FindRecordAsync(accessKeyId, ct).ConfigureAwait(false) is not { } key)
        {
            throw IamErrors.NoSuchAccessKey(accessKeyId);
        }
        return (user, key);
    }
}
