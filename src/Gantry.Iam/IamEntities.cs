using Gantry.Iam.Policies;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>
/// What users, groups and roles share: creation, reading, listing, deletion (refused while anything still hangs on
/// them), tags, attached managed policies and inline policies.
/// </summary>
public sealed class IamEntities(IamStore store, TimeProvider time)
{
    public const int MaxAttachedPolicies = 10;

    /// <summary>Stores a new entity made by <paramref name="make"/> from a fresh id and the time; EntityAlreadyExists when the name is taken.</summary>
    public Task<IamEntity> CreateAsync(EntityKind kind, string name, Func<string, DateTimeOffset, IamEntity> make, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(make);
        return IamStore.RetryAsync(async () =>
        {
            if (await store.FindAsync(kind, name, ct).ConfigureAwait(false) is not null)
            {
                throw IamErrors.Exists(kind, name);
            }
            var entity = make(IamIds.For(kind), time.GetUtcNow());
            await store.CommitAsync([store.Put(entity, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
            return entity;
        });
    }

    public async Task<IamEntity> GetAsync(EntityKind kind, string name, CancellationToken ct) =>
        (await store.GetAsync(kind, name, ct).ConfigureAwait(false)).Value;

    /// <summary>Entities whose path starts with <paramref name="pathPrefix"/>, a page at a time in name order.</summary>
    public Task<IamPage<IamEntity>> ListAsync(EntityKind kind, string? pathPrefix, string? marker, int maxItems, CancellationToken ct)
    {
        var prefix = pathPrefix ?? "/";
        return store.PageAsync<IamEntity>(IamStore.KindOf(kind), marker, maxItems, e => e.Path.StartsWith(prefix, StringComparison.Ordinal), ct);
    }

    /// <summary>Replaces an entity with <paramref name="change"/>'s result, committed at the version read.</summary>
    public Task<IamEntity> UpdateAsync(EntityKind kind, string name, Func<IamEntity, IamEntity> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        return IamStore.RetryAsync(async () =>
        {
            var found = await store.GetAsync(kind, name, ct).ConfigureAwait(false);
            var next = change(found.Value);
            await store.CommitAsync([store.Put(next, found.Version)], ct).ConfigureAwait(false);
            return next;
        });
    }

    /// <summary>Deletes an entity that nothing hangs on any more: IAM's DeleteConflict names the first thing left.</summary>
    public Task DeleteAsync(EntityKind kind, string name, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var found = await store.GetAsync(kind, name, ct).ConfigureAwait(false);
        var entity = found.Value;
        var left = entity switch
        {
            { AccessKeys.Count: > 0 } => "must delete access keys first",
            { Kind: EntityKind.User, Groups.Count: > 0 } or { Members.Count: > 0 } => "must remove users from group first",
            { AttachedPolicies.Count: > 0 } => "must detach all policies first",
            { InlinePolicies.Count: > 0 } => "must delete policies first",
            _ => null,
        };
        if (left is not null)
        {
            throw IamErrors.Conflict($"Cannot delete entity, {left}.");
        }
        await store.CommitAsync([new DeleteOp(IamStore.KindOf(kind), name, found.Version)], ct).ConfigureAwait(false);
    });

    public Task TagAsync(EntityKind kind, string name, IReadOnlyList<IamTagValue> tags, CancellationToken ct) =>
        UpdateAsync(kind, name, e => e with { Tags = IamInput.Tag(e.Tags, tags) }, ct);

    public Task UntagAsync(EntityKind kind, string name, IReadOnlyList<string> keys, CancellationToken ct) =>
        UpdateAsync(kind, name, e => e with { Tags = IamInput.Untag(e.Tags, keys) }, ct);

    /// <summary>Attaches a managed policy (idempotent): the entity and the policy are committed together.</summary>
    public Task AttachAsync(EntityKind kind, string name, string policyArn, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var entity = await store.GetAsync(kind, name, ct).ConfigureAwait(false);
        var policy = await store.GetPolicyAsync(policyArn, ct).ConfigureAwait(false);
        if (entity.Value.AttachedPolicies.Contains(policy.Value.Name))
        {
            return;
        }
        if (entity.Value.AttachedPolicies.Count >= MaxAttachedPolicies)
        {
            throw IamErrors.Limit($"Cannot exceed quota for PoliciesPer{kind}: {MaxAttachedPolicies}");
        }
        await store.CommitAsync([
            store.Put(entity.Value with { AttachedPolicies = [.. entity.Value.AttachedPolicies, policy.Value.Name] }, entity.Version),
            store.Put(policy.Value with { Attachments = [.. policy.Value.Attachments, new EntityRef(kind, name)] }, policy.Version),
        ], ct).ConfigureAwait(false);
    });

    public Task DetachAsync(EntityKind kind, string name, string policyArn, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var entity = await store.GetAsync(kind, name, ct).ConfigureAwait(false);
        var policy = await store.GetPolicyAsync(policyArn, ct).ConfigureAwait(false);
        if (!entity.Value.AttachedPolicies.Contains(policy.Value.Name))
        {
            throw IamErrors.NotAttached(policyArn);
        }
        var here = new EntityRef(kind, name);
        await store.CommitAsync([
            store.Put(entity.Value with { AttachedPolicies = [.. entity.Value.AttachedPolicies.Where(p => p != policy.Value.Name)] }, entity.Version),
            store.Put(policy.Value with { Attachments = [.. policy.Value.Attachments.Where(a => a != here)] }, policy.Version),
        ], ct).ConfigureAwait(false);
    });

    /// <summary>The managed policies attached to an entity, whose path starts with <paramref name="pathPrefix"/>.</summary>
    public async Task<IReadOnlyList<ManagedPolicyRecord>> AttachedAsync(EntityKind kind, string name, string? pathPrefix, CancellationToken ct)
    {
        var entity = await GetAsync(kind, name, ct).ConfigureAwait(false);
        var policies = new List<ManagedPolicyRecord>();
        foreach (var policyName in entity.AttachedPolicies)
        {
            if (await store.FindPolicyAsync(policyName, ct).ConfigureAwait(false) is { } policy
                && policy.Value.Path.StartsWith(pathPrefix ?? "/", StringComparison.Ordinal))
            {
                policies.Add(policy.Value);
            }
        }
        return policies;
    }

    /// <summary>Adds or replaces an inline policy, checked as an identity policy.</summary>
    public Task PutInlineAsync(EntityKind kind, string name, string policyName, string document, CancellationToken ct)
    {
        IamInput.Document(document, "policyDocument", PolicyKind.Identity);
        return UpdateAsync(kind, name, e => e with { InlinePolicies = new Dictionary<string, string>(e.InlinePolicies) { [policyName] = document } }, ct);
    }

    public async Task<string> GetInlineAsync(EntityKind kind, string name, string policyName, CancellationToken ct)
    {
        var entity = await GetAsync(kind, name, ct).ConfigureAwait(false);
        return entity.InlinePolicies.TryGetValue(policyName, out var document) ? document : throw IamErrors.NoSuchInline(kind, policyName);
    }

    public Task DeleteInlineAsync(EntityKind kind, string name, string policyName, CancellationToken ct) =>
        UpdateAsync(kind, name, e => e.InlinePolicies.ContainsKey(policyName)
            ? e with { InlinePolicies = e.InlinePolicies.Where(p => p.Key != policyName).ToDictionary() }
            : throw IamErrors.NoSuchInline(kind, policyName), ct);

    /// <summary>An entity's inline policy names in order, a page at a time.</summary>
    public async Task<IamPage<string>> ListInlineAsync(EntityKind kind, string name, string? marker, int maxItems, CancellationToken ct)
    {
        var entity = await GetAsync(kind, name, ct).ConfigureAwait(false);
        return IamPages.Of(entity.InlinePolicies.Keys.Order(StringComparer.Ordinal), n => n, marker, maxItems);
    }
}

/// <summary>Paging of lists held in memory (in any order), with the key of a page's last item as the next page's marker.</summary>
public static class IamPages
{
    /// <summary>The items after the one whose key is <paramref name="marker"/>; IAM's "Invalid Marker." when none has it.</summary>
    public static IamPage<T> Of<T>(IEnumerable<T> ordered, Func<T, string> key, string? marker, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(key);
        var all = ordered.ToList();
        var start = marker is null ? 0 : all.FindIndex(item => key(item) == marker) + 1;
        if (start == 0 && marker is not null)
        {
            throw IamErrors.Validation("Invalid Marker.");
        }
        var rest = all.Skip(start).Take(maxItems + 1).ToList();
        return rest.Count > maxItems ? new IamPage<T>(rest[..maxItems], key(rest[maxItems - 1])) : new IamPage<T>(rest, null);
    }
}
