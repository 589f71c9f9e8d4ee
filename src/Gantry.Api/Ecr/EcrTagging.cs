using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecr;

/// <summary>ECR's TagResource, UntagResource and ListTagsForResource on repository ARNs, and tag validation.</summary>
public sealed class EcrTagging(EcrContext ecr)
{
    private const int MaxTags = 50;

    public static IReadOnlyList<KeyValuePair<string, string>> Validate(IReadOnlyList<EcrTag>? tags)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var tag in tags ?? [])
        {
            if (string.IsNullOrEmpty(tag.Key) || tag.Key.Length > 128 || tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw EcrErrors.InvalidTagParameter($"Invalid tag key '{tag.Key}': 1 to 128 characters, not starting with 'aws:'");
            }
            if (tag.Value is null || tag.Value.Length > 256)
            {
                throw EcrErrors.InvalidTagParameter($"Invalid value for tag '{tag.Key}': 0 to 256 characters");
            }
            result.RemoveAll(t => t.Key == tag.Key);
            result.Add(new(tag.Key, tag.Value));
        }
        return result.Count > MaxTags ? throw EcrErrors.TooManyTags($"A resource can have at most {MaxTags} tags") : result;
    }

    public async Task<TagResourceResponse> TagAsync(TagResourceRequest request, CancellationToken ct)
    {
        var name = await RepositoryOfAsync(request.ResourceArn, ct).ConfigureAwait(false);
        var added = Validate(request.Tags);
        await ecr.UpdateAsync(name, r =>
        {
            var merged = r.Tags.Where(t => added.All(a => a.Key != t.Key)).Concat(added).ToList();
            return merged.Count > MaxTags ? throw EcrErrors.TooManyTags($"A resource can have at most {MaxTags} tags") : r with { Tags = merged };
        }, ct).ConfigureAwait(false);
        return new TagResourceResponse();
    }

    public async Task<UntagResourceResponse> UntagAsync(UntagResourceRequest request, CancellationToken ct)
    {
        var name = await RepositoryOfAsync(request.ResourceArn, ct).ConfigureAwait(false);
        var keys = request.TagKeys ?? [];
        await ecr.UpdateAsync(name, r => r with { Tags = [.. r.Tags.Where(t => !keys.Contains(t.Key))] }, ct).ConfigureAwait(false);
        return new UntagResourceResponse();
    }

    public async Task<ListTagsForResourceResponse> ListAsync(ListTagsForResourceRequest request, CancellationToken ct)
    {
        var name = await RepositoryOfAsync(request.ResourceArn, ct).ConfigureAwait(false);
        var repo = await ecr.RequireAsync(null, name, ct).ConfigureAwait(false);
        return new ListTagsForResourceResponse { Tags = [.. repo.Value.Tags.Select(t => new EcrTag { Key = t.Key, Value = t.Value })] };
    }

    private async Task<string> RepositoryOfAsync(string? arn, CancellationToken ct)
    {
        var name = ecr.Arns.RepositoryName(arn ?? "")
            ?? throw EcrErrors.InvalidParameter($"Invalid parameter at 'resourceArn': '{arn}' is not a repository ARN of this registry");
        await ecr.RequireAsync(null, name, ct).ConfigureAwait(false);
        return name;
    }
}
