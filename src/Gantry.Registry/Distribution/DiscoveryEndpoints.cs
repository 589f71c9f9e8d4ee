using System.Globalization;
using System.Text.Json;
using Gantry.Oci;
using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>Content discovery: tag listing with <c>n</c>/<c>last</c> (end-8) and the referrers API (end-12).</summary>
internal sealed class DiscoveryEndpoints(ImageCatalog catalog)
{
    private const int DefaultPageSize = 1000;
    private const int MaxPageSize = 10_000;

    public async Task TagsAsync(DistributionContext context)
    {
        var query = context.Request.Query;
        var n = DefaultPageSize;
        // As distribution: an empty n is no n; a negative, non-numeric or overflowing one is refused; a large one is
        // clamped, which the spec allows since the Link header says where to go on.
        if (query.TryGetValue("n", out var nText) && nText.ToString() is { Length: > 0 } text)
        {
            n = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Min(asked, MaxPageSize)
                : throw new RegistryException(RegistryError.PaginationNumberInvalid,
                    "invalid number of results requested: n must be a non-negative integer");
        }
        var last = query.TryGetValue("last", out var lastText) ? lastText.ToString() : null;
        var tags = n == 0 ? [] : await catalog.ListTagsAsync(context.Name, last, n + 1, context.Aborted).ConfigureAwait(false);
        var page = tags.Take(n).ToList();
        if (tags.Count > n)
        {
            context.Response.Headers.Link = $"</v2/{context.Name}/tags/list?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new { name = context.Name, tags = page }, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task ReferrersAsync(DistributionContext context)
    {
        var subject = BlobEndpoints.ParseDigest(context.Route.Reference);
        var artifactType = context.Request.Query.TryGetValue("artifactType", out var filter) ? filter.ToString() : null;
        var referrers = await catalog.ReferrersAsync(context.Name, subject.ToString(), artifactType, context.Aborted).ConfigureAwait(false);
        if (artifactType is not null)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        context.Response.ContentType = MediaTypes.OciIndex;
        var index = new { schemaVersion = 2, mediaType = MediaTypes.OciIndex, manifests = referrers };
        await JsonSerializer.SerializeAsync(context.Response.Body, index, cancellationToken: context.Aborted).ConfigureAwait(false);
    }
}
