using Gantry.Iam.Policies;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>
/// Customer managed policies and their versions (at most <see cref="MaxVersions"/>; the default one is what attached
/// identities get). A policy is deleted only when detached everywhere and left with its default version alone.
/// </summary>
public sealed class ManagedPolicies(IamStore store, TimeProvider time)
{
    public const int MaxVersions = 5;

    public Task<ManagedPolicyRecord> CreateAsync(string name, string path, string document, string? description, IReadOnlyList<IamTagValue> tags, CancellationToken ct)
    {
        IamInput.Document(document, "policyDocument", PolicyKind.Identity, requireCurrentVersion: true);
        return IamStore.RetryAsync(async () =>
        {
            if (await store.FindPolicyAsync(name, ct).ConfigureAwait(false) is not null)
            {
                throw IamErrors.PolicyExists(name);
            }
            var now = time.GetUtcNow();
            var policy = new ManagedPolicyRecord(name, IamIds.Policy(), path, now)
            {
                Description = description,
                DefaultVersion = "v1",
                Versions = [new PolicyVersionRecord("v1", document, now)],
                Tags = IamInput.Tag([], tags),
            };
            await store.CommitAsync([store.Put(policy, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
            return policy;
        });
    }

    public async Task<ManagedPolicyRecord> GetAsync(string arn, CancellationToken ct) => (await store.GetPolicyAsync(arn, ct).ConfigureAwait(false)).Value;

    public Task<IamPage<ManagedPolicyRecord>> ListAsync(string? pathPrefix, bool onlyAttached, string? marker, int maxItems, CancellationToken ct)
    {
        var prefix = pathPrefix ?? "/";
        return store.PageAsync<ManagedPolicyRecord>(IamStore.PolicyKind, marker, maxItems,
            p => p.Path.StartsWith(prefix, StringComparison.Ordinal) && (!onlyAttached || p.Attachments.Count > 0), ct);
    }

    public Task DeleteAsync(string arn, CancellationToken ct) => IamStore.RetryAsync(async () =>
    {
        var policy = await store.GetPolicyAsync(arn, ct).ConfigureAwait(false);
        if (policy.Value.Attachments.Count > 0)
        {
            throw IamErrors.Conflict("Cannot delete a policy attached to entities.");
        }
        if (policy.Value.Versions.Count > 1)
        {
            throw IamErrors.Conflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        }
        await store.CommitAsync([new DeleteOp(IamStore.PolicyKind, policy.Value.Name, policy.Version)], ct).ConfigureAwait(false);
    });

    public Task<PolicyVersionRecord> CreateVersionAsync(string arn, string document, bool setAsDefault, CancellationToken ct)
    {
        IamInput.Document(document, "policyDocument", PolicyKind.Identity, requireCurrentVersion: true);
        return IamStore.RetryAsync(async () =>
        {
            var policy = await store.GetPolicyAsync(arn, ct).ConfigureAwait(false);
            if (policy.Value.Versions.Count >= MaxVersions)
            {
                throw IamErrors.Limit(
                    $"A managed policy can have up to {MaxVersions} versions. Before you create a new version, you must delete an existing version.");
            }
            var now = time.GetUtcNow();
            var version = new PolicyVersionRecord($"v{policy.Value.NextVersion}", document, now);
            await store.CommitAsync([store.Put(policy.Value with
            {
                Versions = [.. policy.Value.Versions, version],
                NextVersion = policy.Value.NextVersion + 1,
                DefaultVersion = setAsDefault ? version.VersionId : policy.Value.DefaultVersion,
                UpdatedAt = setAsDefault ? now : policy.Value.UpdatedAt,
            }, policy.Version)], ct).ConfigureAwait(false);
            return version;
        });
    }

    public async Task<(ManagedPolicyRecord Policy, PolicyVersionRecord Version)> GetVersionAsync(string arn, string versionId, CancellationToken ct)
    {
        var policy = await GetAsync(arn, ct).ConfigureAwait(false);
        return (policy, policy.Versions.FirstOrDefault(v => v.VersionId == versionId) ?? throw IamErrors.NoSuchPolicyVersion(arn, versionId));
    }

    public Task DeleteVersionAsync(string arn, string versionId, CancellationToken ct) => Change(arn, versionId, (policy, version) =>
        version.VersionId == policy.DefaultVersion
            ? throw IamErrors.Conflict("Cannot delete the default version of a policy.")
            : policy with { Versions = [.. policy.Versions.Where(v => v != version)] }, ct);

    public Task SetDefaultVersionAsync(string arn, string versionId, CancellationToken ct) =>
        Change(arn, versionId, (policy, version) => policy with { DefaultVersion = version.VersionId, UpdatedAt = time.GetUtcNow() }, ct);

    public Task TagAsync(string arn, IReadOnlyList<IamTagValue> tags, CancellationToken ct) =>
        Change(arn, null, (policy, _) => policy with { Tags = IamInput.Tag(policy.Tags, tags) }, ct);

    public Task UntagAsync(string arn, IReadOnlyList<string> keys, CancellationToken ct) =>
        Change(arn, null, (policy, _) => policy with { Tags = IamInput.Untag(policy.Tags, keys) }, ct);

    /// <summary>Commits <paramref name="change"/> of a policy (and one of its versions when <paramref name="versionId"/> is given) at the version read.</summary>
    private Task Change(string arn, string? versionId, Func<ManagedPolicyRecord, PolicyVersionRecord, ManagedPolicyRecord> change, CancellationToken ct) =>
        IamStore.RetryAsync(async () =>
        {
            var policy = await store.GetPolicyAsync(arn, ct).ConfigureAwait(false);
            var version = versionId is null ? policy.Value.Default
                : policy.Value.Versions.FirstOrDefault(v => v.VersionId == versionId) ?? throw IamErrors.NoSuchPolicyVersion(arn, versionId);
            await store.CommitAsync([store.Put(change(policy.Value, version), policy.Version)], ct).ConfigureAwait(false);
        });
}
