using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// CreateCapacityProvider, DescribeCapacityProviders, UpdateCapacityProvider, DeleteCapacityProvider. A created provider
/// is backed by a node group (<see cref="NodeGroups"/>); its managed scaling is reported as given and nothing scales.
/// FARGATE and FARGATE_SPOT are always described as ACTIVE and can be neither created, updated nor deleted.
/// </summary>
public sealed partial class CapacityProviderOperations(Documents documents, EcsArns arns, CapacityProviderDirectory directory, TimeProvider time)
{
    public const string InvalidNameMessage = "The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\". Specify a valid name and try again.";
    public const string ExistsMessage = "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.";
    public const string GroupInUseMessage = "The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.";
    public const string NotFoundMessage = "The specified capacity provider does not exist. Specify a valid name or ARN and try again.";
    public const string ReservedMessage = "The FARGATE and FARGATE_SPOT capacity providers are reserved and can't be updated or deleted. Disassociate them from a cluster with PutClusterCapacityProviders instead.";

    private const int MaxDescribed = 100;
    private const int MaxPage = 10;

    public async Task<CreateCapacityProviderResponse> CreateAsync(CreateCapacityProviderRequest request, CancellationToken ct)
    {
        var name = request.Name;
        if (name is null || !NamePattern().IsMatch(name) || ReservedPrefix().IsMatch(name))
        {
            throw EcsErrors.InvalidParameter(InvalidNameMessage);
        }
        var group = request.AutoScalingGroupProvider ?? throw EcsErrors.InvalidParameter("autoScalingGroupProvider must be specified.");
        if (!NodeGroups.TryParse(group.AutoScalingGroupArn, arns.Account, out var nodeGroup))
        {
            throw EcsErrors.InvalidParameter(
                $"autoScalingGroupProvider.autoScalingGroupArn '{group.AutoScalingGroupArn}' does not name a node group. Gantry backs a capacity provider with "
                + $"the container instances whose attribute {NodeGroups.Attribute} is <name>: give "
                + $"arn:{arns.Account.Partition}:autoscaling:{arns.Account.Region}:{arns.Account.AccountId}:autoScalingGroup:<uuid>:autoScalingGroupName/<name> "
                + "or <name> (1-128 letters, digits, '.', '_', '-', '@').");
        }
        EcsTags.Validate(request.Tags, "tags");
        var provider = new CapacityProvider
        {
            CapacityProviderArn = arns.CapacityProvider(name),
            Name = name,
            Status = CapacityProviderStatusValues.ACTIVE,
            AutoScalingGroupProvider = new AutoScalingGroupProvider
            {
                AutoScalingGroupArn = group.AutoScalingGroupArn,
                ManagedScaling = Scaling(null, group.ManagedScaling),
                ManagedTerminationProtection = Switch(group.ManagedTerminationProtection, "managedTerminationProtection") ?? ManagedTerminationProtectionValues.DISABLED,
                ManagedDraining = Switch(group.ManagedDraining, "managedDraining") ?? ManagedDrainingValues.ENABLED,
            },
            Tags = request.Tags ?? [],
        };
        var others = await directory.ListAsync(ct).ConfigureAwait(false);
        if (others.Any(o => o.Value.IsActive && o.Value.NodeGroup == nodeGroup && o.Value.Name != name))
        {
            throw EcsErrors.Client(GroupInUseMessage);
        }
        await documents.UpdateAsync<CapacityProviderRecord>(Kinds.CapacityProvider, name, existing =>
            existing is { IsActive: true } ? throw EcsErrors.Client(ExistsMessage) : new CapacityProviderRecord(provider, nodeGroup), ct).ConfigureAwait(false);
        return new CreateCapacityProviderResponse { CapacityProvider = provider };
    }

    public async Task<DescribeCapacityProvidersResponse> DescribeAsync(DescribeCapacityProvidersRequest request, CancellationToken ct)
    {
        var tags = false;
        foreach (var field in request.Include ?? [])
        {
            tags = field == CapacityProviderFieldValues.TAGS
                ? true
                : throw EcsErrors.InvalidParameter($"Invalid include value '{field}'. Valid values: {CapacityProviderFieldValues.TAGS}.");
        }
        var now = time.GetUtcNow();
        if (request.CapacityProviders is { Count: > 0 } references)
        {
            if (references.Count > MaxDescribed)
            {
                throw EcsErrors.InvalidParameter($"capacityProviders can have at most {MaxDescribed} items.");
            }
            var (found, failures) = await DescribeBatch.RunAsync(references, async (reference, ct) =>
                await FindVisibleAsync(EcsArns.CapacityProviderName(reference), now, ct).ConfigureAwait(false) is { } provider ? Shape(provider, tags) : null,
                reference => arns.CapacityProvider(reference), ct).ConfigureAwait(false);
            return new DescribeCapacityProvidersResponse { CapacityProviders = found, Failures = failures };
        }
        // Every provider in one order: FARGATE, FARGATE_SPOT, then the created ones by name; a page resumes after the
        // last name it returned.
        var limit = PageToken.Limit(request.MaxResults, max: MaxPage);
        var after = PageToken.Decode(request.NextToken);
        var stored = await directory.ListAsync(ct).ConfigureAwait(false);
        var all = FargatePool.Providers.Select(Fargate)
            .Concat(stored.Where(s => s.Value.Visible(now)).Select(s => s.Value.Provider))
            .ToList();
        var start = after is null ? 0 : all.FindIndex(p => Follows(p.Name!, after));
        var page = start < 0 ? [] : all.Skip(start).Take(limit).ToList();
        var more = start >= 0 && start + page.Count < all.Count;
        return new DescribeCapacityProvidersResponse
        {
            CapacityProviders = [.. page.Select(p => Shape(p, tags))],
            Failures = [],
            NextToken = more ? PageToken.Encode(page[^1].Name!) : null,
        };
    }

    public async Task<UpdateCapacityProviderResponse> UpdateAsync(UpdateCapacityProviderRequest request, CancellationToken ct)
    {
        var name = EcsArns.CapacityProviderName(Required(request.Name, "name"));
        var change = request.AutoScalingGroupProvider ?? throw EcsErrors.InvalidParameter("autoScalingGroupProvider must be specified.");
        var termination = Switch(change.ManagedTerminationProtection, "managedTerminationProtection");
        var draining = Switch(change.ManagedDraining, "managedDraining");
        var updated = await documents.UpdateAsync<CapacityProviderRecord>(Kinds.CapacityProvider, name, existing =>
        {
            if (existing is not { IsActive: true })
            {
                throw EcsErrors.Client(NotFoundMessage);
            }
            var group = existing.Provider.AutoScalingGroupProvider!;
            return existing with
            {
                Provider = existing.Provider with
                {
                    AutoScalingGroupProvider = group with
                    {
                        ManagedScaling = change.ManagedScaling is null ? group.ManagedScaling : Scaling(group.ManagedScaling, change.ManagedScaling),
                        ManagedTerminationProtection = termination ?? group.ManagedTerminationProtection,
                        ManagedDraining = draining ?? group.ManagedDraining,
                    },
                    UpdateStatus = CapacityProviderUpdateStatusValues.UPDATE_COMPLETE,
                    UpdateStatusReason = null,
                },
            };
        }, ct).ConfigureAwait(false);
        return new UpdateCapacityProviderResponse { CapacityProvider = Shape(updated.Provider, tags: true) };
    }

    /// <summary>
    /// Deletes a provider that no cluster uses: it becomes INACTIVE (DELETE_COMPLETE) at once and stays described for
    /// <see cref="CapacityProviderRecord.KeptAfterDelete"/>. One still associated with a cluster stays ACTIVE with
    /// updateStatus DELETE_FAILED and ECS's reason, in the response and afterwards, as ECS answers.
    /// </summary>
    public async Task<DeleteCapacityProviderResponse> DeleteAsync(DeleteCapacityProviderRequest request, CancellationToken ct)
    {
        var name = EcsArns.CapacityProviderName(Required(request.CapacityProvider, "capacityProvider"));
        var clusters = await documents.ListAllAsync<Cluster>(Kinds.Cluster, null, ct).ConfigureAwait(false);
        var user = clusters.Select(c => c.Value).FirstOrDefault(c => c.Status == "ACTIVE" && (c.CapacityProviders ?? []).Contains(name, StringComparer.Ordinal));
        var now = time.GetUtcNow();
        var deleted = await documents.UpdateAsync<CapacityProviderRecord>(Kinds.CapacityProvider, name, existing =>
            existing is not { IsActive: true } ? throw EcsErrors.Client(NotFoundMessage)
            : user is not null ? existing with
            {
                Provider = existing.Provider with
                {
                    UpdateStatus = CapacityProviderUpdateStatusValues.DELETE_FAILED,
                    UpdateStatusReason = $"The capacity provider cannot be deleted because it is associated with cluster: {user.ClusterName}. Remove the capacity provider from the cluster and try again.",
                },
            }
            : existing with
            {
                Provider = existing.Provider with
                {
                    Status = CapacityProviderStatusValues.INACTIVE,
                    UpdateStatus = CapacityProviderUpdateStatusValues.DELETE_COMPLETE,
                    UpdateStatusReason = null,
                },
                DeletedAt = now,
            }, ct).ConfigureAwait(false);
        return new DeleteCapacityProviderResponse { CapacityProvider = Shape(deleted.Provider, tags: true) };
    }

    private async Task<CapacityProvider?> FindVisibleAsync(string name, DateTimeOffset now, CancellationToken ct)
    {
        if (FargatePool.IsProvider(name))
        {
            return Fargate(name);
        }
        var found = await documents.GetAsync<CapacityProviderRecord>(Kinds.CapacityProvider, name, ct).ConfigureAwait(false);
        return found is { } f && f.Value.Visible(now) ? f.Value.Provider : null;
    }

    private CapacityProvider Fargate(string name) => new()
    {
        CapacityProviderArn = arns.CapacityProvider(name),
        Name = name,
        Status = CapacityProviderStatusValues.ACTIVE,
        Tags = [],
    };

    private static CapacityProvider Shape(CapacityProvider provider, bool tags) => provider with { Tags = tags ? provider.Tags ?? [] : [] };

    /// <summary>Whether <paramref name="name"/> comes after <paramref name="previous"/> in the listing: the Fargate
    /// providers first, then the created ones in ordinal (store key) order.</summary>
    private static bool Follows(string name, string previous)
    {
        static int Rank(string name) => FargatePool.IsProvider(name) ? FargatePool.Providers.ToList().IndexOf(name) : FargatePool.Providers.Count;
        var rank = Rank(name).CompareTo(Rank(previous));
        return rank > 0 || (rank == 0 && string.CompareOrdinal(name, previous) > 0);
    }

    /// <summary>A name a request must give, refusing FARGATE and FARGATE_SPOT (reserved).</summary>
    private static string Required(string? name, string field) =>
        string.IsNullOrEmpty(name) ? throw EcsErrors.InvalidParameter($"{field} must be specified.")
        : FargatePool.IsProvider(EcsArns.CapacityProviderName(name)) ? throw EcsErrors.Client(ReservedMessage)
        : name;

    private static string? Switch(string? value, string field) =>
        value is null or "ENABLED" or "DISABLED" ? value
        : throw EcsErrors.InvalidParameter($"autoScalingGroupProvider.{field} must be ENABLED or DISABLED.");

    /// <summary>
    /// Managed scaling as reported: the fields given over <paramref name="current"/> (or ECS's defaults: target capacity
    /// 100, steps 1-10000, warm-up 300 s). Omitted entirely on create it is DISABLED; given without a status, ENABLED.
    /// </summary>
    private static ManagedScaling Scaling(ManagedScaling? current, ManagedScaling? given)
    {
        const string Field = "autoScalingGroupProvider.managedScaling";
        if (given?.Status is { } status && !ManagedScalingStatusValues.All.Contains(status))
        {
            throw EcsErrors.InvalidParameter($"{Field}.status must be ENABLED or DISABLED.");
        }
        Range(given?.TargetCapacity, 1, 100, $"{Field}.targetCapacity");
        Range(given?.MinimumScalingStepSize, 1, 10000, $"{Field}.minimumScalingStepSize");
        Range(given?.MaximumScalingStepSize, 1, 10000, $"{Field}.maximumScalingStepSize");
        Range(given?.InstanceWarmupPeriod, 0, 10000, $"{Field}.instanceWarmupPeriod");
        var merged = new ManagedScaling
        {
            Status = given?.Status ?? current?.Status ?? (given is null ? ManagedScalingStatusValues.DISABLED : ManagedScalingStatusValues.ENABLED),
            TargetCapacity = given?.TargetCapacity ?? current?.TargetCapacity ?? 100,
            MinimumScalingStepSize = given?.MinimumScalingStepSize ?? current?.MinimumScalingStepSize ?? 1,
            MaximumScalingStepSize = given?.MaximumScalingStepSize ?? current?.MaximumScalingStepSize ?? 10000,
            InstanceWarmupPeriod = given?.InstanceWarmupPeriod ?? current?.InstanceWarmupPeriod ?? 300,
        };
        return merged.MinimumScalingStepSize > merged.MaximumScalingStepSize
            ? throw EcsErrors.InvalidParameter($"{Field}.minimumScalingStepSize must not be greater than maximumScalingStepSize.")
            : merged;
    }

    private static void Range(int? value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw EcsErrors.InvalidParameter($"{field} must be between {min} and {max}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^(aws|ecs|fargate)", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedPrefix();
}
