using Gantry.Oci;
using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>GET/HEAD/PUT/DELETE <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> (end-3, end-7, end-9).</summary>
internal sealed class ManifestEndpoints(ImageCatalog catalog)
{
    public async Task GetAsync(DistributionContext context)
    {
        var reference = context.Route.Reference;
        var image = await catalog.ResolveAsync(context.Name, reference, context.Aborted).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryError.ManifestUnknown, $"manifest '{reference}' is not in repository '{context.Name}'");
        var digest = BlobEndpoints.ParseDigest(image.Digest);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = image.MediaType;
        context.Response.ContentLength = image.ManifestSize;
        context.Response.Headers["Docker-Content-Digest"] = image.Digest;
        context.Response.Headers.ETag = $"\"{image.Digest}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        await using var file = catalog.Blobs.OpenRead(digest);
        await file.CopyToAsync(context.Response.Body, context.Aborted).ConfigureAwait(false);
    }

    public async Task PutAsync(DistributionContext context)
    {
        if (context.Request.ContentLength > ImageCatalog.MaxManifestBytes)
        {
            throw new RegistryException(RegistryError.ManifestTooLarge, $"manifest exceeds {ImageCatalog.MaxManifestBytes} bytes");
        }
        using var buffer = new MemoryStream();
        var body = context.Request.Body;
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, context.Aborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > ImageCatalog.MaxManifestBytes)
            {
                throw new RegistryException(RegistryError.ManifestTooLarge, $"manifest exceeds {ImageCatalog.MaxManifestBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        var image = await catalog.PutManifestAsync(context.Name, context.Route.Reference, buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
            context.Request.ContentType, context.Aborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{context.Name}/manifests/{image.Digest}";
        context.Response.Headers["Docker-Content-Digest"] = image.Digest;
        if (image.Subject is { } subject)
        {
            context.Response.Headers["OCI-Subject"] = subject.Digest;
        }
    }

    public async Task DeleteAsync(DistributionContext context)
    {
        var reference = context.Route.Reference;
        bool deleted;
        if (Digest.LooksLikeDigest(reference))
        {
            BlobEndpoints.ParseDigest(reference);
            deleted = await catalog.DeleteImageAsync(context.Name, reference, context.Aborted).ConfigureAwait(false);
        }
        else
        {
            deleted = await catalog.UntagAsync(context.Name, reference, context.Aborted).ConfigureAwait(false);
        }
        if (!deleted)
        {
            throw new RegistryException(RegistryError.ManifestUnknown, $"manifest '{reference}' is not in repository '{context.Name}'");
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
