using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>CreateTags, DeleteTags and DescribeTags over VPCs, subnets, security groups and network interfaces.</summary>
public sealed class Ec2TagOperations(NetworkDirectory directory, NetworkChanges changes)
{
    private static readonly Ec2Filters<TagDescription> Filters = new(new Dictionary<string, Func<TagDescription, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["resource-id"] = t => FilterValues.Of(t.ResourceId),
        ["resource-type"] = t => FilterValues.Of(t.ResourceType),
        ["key"] = t => FilterValues.Of(t.Key),
        ["value"] = t => FilterValues.Of(t.Value),
    }, t => [new NetworkTag(t.Key!, t.Value!)]);

    public async Task CreateAsync(CreateTagsRequest request, CancellationToken ct)
    {
        var tags = request.Tags is { Count: > 0 } given ? given : throw NetworkErrors.Missing("Tag");
        foreach (var resource in Resources(request.Resources))
        {
            await changes.UpdateTagsAsync(resource, current => Ec2Tags.Merge(current, tags), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the tags named (a tag given with a value only while it has that value; no tags at all: every tag).</summary>
    public async Task DeleteAsync(DeleteTagsRequest request, CancellationToken ct)
    {
        var named = request.Tags ?? [];
        foreach (var resource in Resources(request.Resources))
        {
            await changes.UpdateTagsAsync(resource, current =>
                named.Count == 0 ? [] : [.. current.Where(t => !named.Any(n => n.Key == t.Key && (n.Value is null || n.Value == t.Value)))], ct).ConfigureAwait(false);
        }
    }

    public async Task<DescribeTagsResult> DescribeAsync(DescribeTagsRequest request, CancellationToken ct)
    {
        var filter = Filters.Compile(request.Filters);
        var all = (await directory.VpcsAsync(ct).ConfigureAwait(false)).SelectMany(v => Describe(v.Id, "vpc", v.Tags))
            .Concat((await directory.SubnetsAsync(ct).ConfigureAwait(false)).SelectMany(s => Describe(s.Id, "subnet", s.Tags)))
            .Concat((await directory.SecurityGroupsAsync(ct).ConfigureAwait(false)).SelectMany(g => Describe(g.Id, "security-group", g.Tags)))
            .Concat((await directory.InterfacesAsync(ct).ConfigureAwait(false)).SelectMany(i => Describe(i.Id, "network-interface", i.Tags ?? [])));
        var (page, next) = Ec2Paging.Page(all.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeTagsResult { Tags = page, NextToken = next };
    }

    private static IReadOnlyList<string> Resources(IReadOnlyList<string>? resources) =>
        resources is { Count: > 0 } ? resources : throw NetworkErrors.Missing("ResourceId");

    private static IEnumerable<TagDescription> Describe(string id, string type, IReadOnlyList<NetworkTag> tags) =>
        tags.Select(t => new TagDescription { ResourceId = id, ResourceType = type, Key = t.Key, Value = t.Value });
}
