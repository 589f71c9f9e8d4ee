using Gantry.Domain.Ssm;
using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.Ssm;

/// <summary>AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for ResourceType Parameter (ResourceId: the name).</summary>
public sealed class ParameterTagOperations(ParameterStore store)
{
    public async Task<AddTagsToResourceResult> AddAsync(AddTagsToResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tags = request.Tags is { Count: >= 1 } t ? t.Select(x => new TagEntry(x?.Key ?? "", x?.Value ?? "")).ToList()
            : throw ParameterErrors.Validation("Tags must list at least one tag.");
        await store.TagAsync(await NameAsync(request.ResourceType, request.ResourceId, ct).ConfigureAwait(false), tags, ct).ConfigureAwait(false);
        return new AddTagsToResourceResult();
    }

    public async Task<RemoveTagsFromResourceResult> RemoveAsync(RemoveTagsFromResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = SsmInput.Strings(request.TagKeys, "TagKeys") ?? throw ParameterErrors.Validation("TagKeys is required.");
        await store.UntagAsync(await NameAsync(request.ResourceType, request.ResourceId, ct).ConfigureAwait(false), keys, ct).ConfigureAwait(false);
        return new RemoveTagsFromResourceResult();
    }

    public async Task<ListTagsForResourceResult> ListAsync(ListTagsForResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await store.RequireAsync(await NameAsync(request.ResourceType, request.ResourceId, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        return new ListTagsForResourceResult { TagList = [.. record.Tags.Select(t => new SsmTag { Key = t.Key, Value = t.Value })] };
    }

    /// <summary>The parameter a tagging request names: InvalidResourceType for another type, InvalidResourceId when it does not exist.</summary>
    private async Task<string> NameAsync(string? resourceType, string? resourceId, CancellationToken ct)
    {
        if (resourceType != ResourceTypeForTaggingValues.Parameter)
        {
            throw ParameterErrors.InvalidResourceType();
        }
        var (found, _, _) = await store.FindAsync(resourceId ?? "", ct).ConfigureAwait(false);
        return found?.Value.Name ?? throw ParameterErrors.InvalidResourceId();
    }
}
