using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.Iam;

/// <summary>
/// The IAM documents in the state store, the ARNs they are known by, and the in-memory generation bumped by every
/// commit this process makes. Every change is one commit with the version of each document it read; an operation that
/// loses a race runs again from its reads (<see cref="RetryAsync{T}"/>), so its checks hold on what it commits.
/// </summary>
public sealed class IamStore(Documents documents, AwsAccount account)
{
    public const string PolicyKind = "iam-policy";
    private const int MaxAttempts = 8;
    private long _generation;

    public AwsAccount Account => account;

    /// <summary>Bumped after every commit this process made.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public static string KindOf(EntityKind kind) => kind switch
    {
        EntityKind.User => "iam-user",
        EntityKind.Group => "iam-group",
        _ => "iam-role",
    };

    public string Arn(EntityKind kind, string path, string name) =>
        $"arn:{account.Partition}:iam::{account.AccountId}:{kind.ToString().ToLowerInvariant()}{path}{name}";

    public string Arn(IamEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return Arn(entity.Kind, entity.Path, entity.Name);
    }

    public string PolicyArn(ManagedPolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return $"arn:{account.Partition}:iam::{account.AccountId}:policy{policy.Path}{policy.Name}";
    }

    public Task<Versioned<IamEntity>?> FindAsync(EntityKind kind, string name, CancellationToken ct) =>
        documents.GetAsync<IamEntity>(KindOf(kind), name, ct);

    public async Task<Versioned<IamEntity>> GetAsync(EntityKind kind, string name, CancellationToken ct) =>
        await FindAsync(kind, name, ct).ConfigureAwait(false) ?? throw IamErrors.NoSuch(kind, name);

    public Task<Versioned<ManagedPolicyRecord>?> FindPolicyAsync(string name, CancellationToken ct) =>
        documents.GetAsync<ManagedPolicyRecord>(PolicyKind, name, ct);

    /// <summary>The managed policy an ARN names (this account's, path and name matching), or IAM's NoSuchEntity.</summary>
    public async Task<Versioned<ManagedPolicyRecord>> GetPolicyAsync(string arn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        var found = name.Length == 0 ? null : await FindPolicyAsync(name, ct).ConfigureAwait(false);
        return found is not null && PolicyArn(found.Value) == arn ? found : throw IamErrors.NoSuchPolicy(arn);
    }

    public WriteOp Put(IamEntity entity, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return documents.Put(KindOf(entity.Kind), entity.Name, entity, expectedVersion);
    }

    public WriteOp Put(ManagedPolicyRecord policy, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return documents.Put(PolicyKind, policy.Name, policy, expectedVersion);
    }

    public async Task CommitAsync(IReadOnlyList<WriteOp> writes, CancellationToken ct)
    {
        await documents.Store.CommitAsync(writes, ct).ConfigureAwait(false);
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Runs <paramref name="operation"/> (reads, checks, one commit) again while its commit loses a race; after
    /// <see cref="MaxAttempts"/> IAM's ConcurrentModification.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another writer changed a document this operation read: read again and decide again.
            }
            catch (ConcurrencyConflictException)
            {
                throw IamErrors.ConcurrentModification();
            }
        }
    }

    public static Task RetryAsync(Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RetryAsync(async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>One page of a kind's documents in name order after <paramref name="marker"/> (the last name of the page before).</summary>
    public async Task<IamPage<T>> PageAsync<T>(string kind, string? marker, int maxItems, Func<T, bool> filter, CancellationToken ct)
    {
        var (items, next) = await documents.PageAsync(kind, null, marker, maxItems, descending: false, filter, ct).ConfigureAwait(false);
        return new IamPage<T>(items, next);
    }

    public Task<IReadOnlyList<Versioned<T>>> ListAllAsync<T>(string kind, CancellationToken ct) => documents.ListAllAsync<T>(kind, null, ct);
}

/// <summary>A page of a listing; <see cref="Marker"/> is null on the last one.</summary>
public sealed record IamPage<T>(IReadOnlyList<T> Items, string? Marker)
{
    public bool IsTruncated => Marker is not null;
}
