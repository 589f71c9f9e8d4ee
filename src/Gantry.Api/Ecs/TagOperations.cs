using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>TagResource, UntagResource, ListTagsForResource for clusters, task definitions and created capacity providers.</summary>
public sealed class TagOperations(Documents documents, EcsArns arns)
{
    public async Task<TagResourceResponse> TagAsync(TagResourceRequest request, CancellationToken ct)
    {
        if (request.Tags is null || request.Tags.Count == 0)
        {
            throw EcsErrors.InvalidParameter("tags must contain at least one tag.");
        }
        EcsTags.Validate(request.Tags, "tags");
        await ChangeAsync(request.ResourceArn, tags =>
        {
            var merged = EcsTags.Merge(tags, request.Tags);
            return merged.Count > EcsTags.MaxTags
                ? throw EcsErrors.InvalidParameter($"A resource can have at most {EcsTags.MaxTags} tags.")
                : merged;
        }, ct).ConfigureAwait(false);
        return new TagResourceResponse();
    }

    public async Task<UntagResourceResponse> UntagAsync(UntagResourceRequest request, CancellationToken ct)
    {
        if (request.TagKeys is null)
        {
            throw EcsErrors.InvalidParameter("tagKeys must be specified.");
        }
        await ChangeAsync(request.ResourceArn, tags => EcsTags.Remove(tags, request.TagKeys), ct).ConfigureAwait(false);
        return new UntagResourceResponse();
    }

    public async Task<ListTagsForResourceResponse> ListAsync(ListTagsForResourceRequest request, CancellationToken ct)
    {
        var target = Resolve(request.ResourceArn);
        IReadOnlyList<Tag>? tags = target.Kind switch
        {
            Kinds.Cluster => (await documents.GetAsync<Cluster>(target.Kind, target.Key, ct).ConfigureAwait(false)) is { Value.Status: "ACTIVE" } c
                ? c.Value.Tags : throw EcsErrors.ClusterNotFound(),
            Kinds.CapacityProvider => (await documents.GetAsync<CapacityProviderRecord>(target.Kind, target.Key, ct).ConfigureAwait(false)) is { Value.IsActive: true } p
                ? p.Value.Provider.Tags : throw NotFound(),
            _ => (await documents.GetAsync<TaskDefinitionRecord>(target.Kind, target.Key, ct).ConfigureAwait(false))?.Value.Tags
                ?? throw NotFound(),
        };
        return new ListTagsForResourceResponse { Tags = tags ?? [] };
    }

    private Task ChangeAsync(string? resourceArn, Func<IReadOnlyList<Tag>?, IReadOnlyList<Tag>> change, CancellationToken ct)
    {
        var target = Resolve(resourceArn);
        return target.Kind switch
        {
            Kinds.Cluster => documents.UpdateAsync<Cluster>(target.Kind, target.Key, c =>
                c is { Status: "ACTIVE" } ? c with { Tags = change(c.Tags) } : throw EcsErrors.ClusterNotFound(), ct),
            Kinds.CapacityProvider => documents.UpdateAsync<CapacityProviderRecord>(target.Kind, target.Key, p =>
                p is { IsActive: true } ? p with { Provider = p.Provider with { Tags = change(p.Provider.Tags) } } : throw NotFound(), ct),
            _ => documents.UpdateAsync<TaskDefinitionRecord>(target.Kind, target.Key, r =>
                r is null ? throw NotFound() : r with { Tags = change(r.Tags) }, ct),
        };
    }

    private (string Kind, string Key) Resolve(string? resourceArn)
    {
        if (string.IsNullOrEmpty(resourceArn))
        {
            throw EcsErrors.InvalidParameter("resourceArn must be specified.");
        }
        if (arns.TryResource(resourceArn, "cluster/", out var cluster))
        {
            return (Kinds.Cluster, cluster);
        }
        if (arns.TryResource(resourceArn, "capacity-provider/", out var provider))
        {
            return FargatePool.IsProvider(provider)
                ? throw EcsErrors.InvalidParameter($"The {provider} capacity provider is reserved and cannot be tagged.")
                : (Kinds.CapacityProvider, provider);
        }
        if (arns.TryResource(resourceArn, "task-definition/", out _)
            && arns.TryParseTaskDefinition(resourceArn, out var family, out var revision) && revision is not null)
        {
            return (Kinds.TaskDefinition, Kinds.TaskDefinitionKey(family, revision.Value));
        }
        throw EcsErrors.InvalidParameter($"Invalid resourceArn '{resourceArn}': expected a cluster, task definition or capacity provider ARN of this account and region.");
    }

    private static AwsException NotFound() => EcsErrors.ResourceNotFound("The specified resource could not be found.");
}
