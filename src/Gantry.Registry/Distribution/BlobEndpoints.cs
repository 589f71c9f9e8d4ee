using Gantry.Oci;
using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>GET/HEAD/DELETE <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> (end-2, end-10).</summary>
internal sealed class BlobEndpoints(ImageCatalog catalog)
{
    public async Task GetAsync(DistributionContext context)
    {
        var digest = ParseDigest(context.Route.Reference);
        var link = await catalog.FindBlobAsync(context.Name, digest, context.Aborted).ConfigureAwait(false);
        if (link is null || catalog.Blobs.SizeOf(digest) is null)
        {
            throw new RegistryException(RegistryError.BlobUnknown, $"blob {digest} is not in repository '{context.Name}'");
        }
        context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
        var result = TypedResults.PhysicalFile(catalog.Blobs.PathOf(digest), "application/octet-stream", enableRangeProcessing: true);
        await result.ExecuteAsync(context.Http).ConfigureAwait(false);
    }

    public async Task DeleteAsync(DistributionContext context)
    {
        var digest = ParseDigest(context.Route.Reference);
        if (!await catalog.UnlinkBlobAsync(context.Name, digest, context.Aborted).ConfigureAwait(false))
        {
            throw new RegistryException(RegistryError.BlobUnknown, $"blob {digest} is not in repository '{context.Name}'");
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    public static Digest ParseDigest(string text) =>
        Digest.TryParse(text, out var digest) ? digest
            : throw new RegistryException(RegistryError.DigestInvalid, $"'{text}' is not a valid digest (sha256 or sha512)");
}
