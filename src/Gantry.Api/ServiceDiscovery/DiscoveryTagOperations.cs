using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>TagResource, UntagResource and ListTagsForResource on namespaces and services (ResourceNotFoundException for any other ARN).</summary>
public sealed class DiscoveryTagOperations(Documents documents, DiscoveryArns arns)
{
    public async Task<TagResourceResponse> TagAsync(TagResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = DiscoveryInput.Required(request.ResourceARN, "ResourceARN");
        var tags = DiscoveryTags.Validate(DiscoveryInput.Required(request.Tags, "Tags"), "Tags");
        await ChangeAsync(arn, current => DiscoveryTags.Merge(arn, current, tags), ct).ConfigureAwait(false);
        return new TagResourceResponse();
    }

    public async Task<UntagResourceResponse> UntagAsync(UntagResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = DiscoveryInput.Required(request.ResourceARN, "ResourceARN");
        var keys = DiscoveryInput.Required(request.TagKeys, "TagKeys").ToHashSet(StringComparer.Ordinal);
        await ChangeAsync(arn, current => current.Where(t => !keys.Contains(t.Key!)).ToList(), ct).ConfigureAwait(false);
        return new UntagResourceResponse();
    }

    public async Task<ListTagsForResourceResponse> ListAsync(ListTagsForResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = DiscoveryInput.Required(request.ResourceARN, "ResourceARN");
        IReadOnlyList<DiscoveryTag>? tags = Resolve(arn) switch
        {
            (DiscoveryKinds.Namespace, var id) => (await documents.GetAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, id, ct).ConfigureAwait(false))?.Value.Tags,
            (_, var id) => (await documents.GetAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, id, ct).ConfigureAwait(false))?.Value.Tags,
        };
        return new ListTagsForResourceResponse { Tags = tags ?? throw DiscoveryErrors.ResourceNotFound(arn) };
    }

    private Task ChangeAsync(string arn, Func<IReadOnlyList<DiscoveryTag>, IReadOnlyList<DiscoveryTag>> change, CancellationToken ct) => Resolve(arn) switch
    {
        (DiscoveryKinds.Namespace, var id) => documents.UpdateAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, id, n =>
            n is null ? throw DiscoveryErrors.ResourceNotFound(arn) : n with { Tags = change(n.Tags) }, ct),
        (_, var id) => documents.UpdateAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, id, s =>
            s is null ? throw DiscoveryErrors.ResourceNotFound(arn) : s with { Tags = change(s.Tags) }, ct),
    };

    private (string Kind, string Id) Resolve(string arn) =>
        arns.NamespaceIdOf(arn) is { } ns ? (DiscoveryKinds.Namespace, ns)
        : arns.ServiceIdOf(arn) is { } service ? (DiscoveryKinds.Service, service)
        : throw DiscoveryErrors.ResourceNotFound(arn);
}
