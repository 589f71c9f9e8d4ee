using System.Globalization;
using Gantry.Oci;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>Blob uploads: POST (start, monolithic, mount), PATCH (chunk), PUT (complete), GET (status), DELETE (cancel).</summary>
internal sealed class UploadEndpoints(ImageCatalog catalog, UploadStore uploads)
{
    public async Task StartAsync(DistributionContext context)
    {
        var query = context.Request.Query;
        var ct = context.Aborted;
        if (query.TryGetValue("mount", out var mount))
        {
            var digest = BlobEndpoints.ParseDigest(mount.ToString());
            var from = query["from"].ToString();
            if (RepositoryNames.IsValid(from) && await catalog.FindBlobAsync(from, digest, ct).ConfigureAwait(false) is { } link
                && await catalog.FindRepositoryAsync(from, ct).ConfigureAwait(false) is not null)
            {
                await catalog.LinkBlobAsync(context.Name, digest, link.Size, ct).ConfigureAwait(false);
                Created(context, digest);
                return;
            }
            // Not mountable: fall back to a regular upload, as the spec allows.
        }
        else if (query.TryGetValue("digest", out var single))
        {
            var digest = BlobEndpoints.ParseDigest(single.ToString());
            var size = await IngestAsync(() => catalog.Blobs.IngestAsync(context.Request.Body, digest, context.Request.ContentLength, ct)).ConfigureAwait(false);
            await catalog.LinkBlobAsync(context.Name, digest, size, ct).ConfigureAwait(false);
            Created(context, digest);
            return;
        }
        var id = uploads.Start(context.Name);
        Accepted(context, id, 0);
    }

    public async Task PatchAsync(DistributionContext context)
    {
        var id = context.Route.Reference;
        try
        {
            var offset = uploads.Offset(context.Name, id) ?? throw new RegistryException(RegistryError.BlobUploadUnknown, $"upload '{id}' is unknown");
            long? start = null;
            var length = context.Request.ContentLength;
            var range = context.Request.Headers.ContentRange.ToString();
            if (range.Length > 0)
            {
                // As distribution: a range that does not start at the offset is 416; one that is not the body's length is
                // SIZE_INVALID before anything is read, and without a Content-Length (chunked) the body is held to it.
                var (first, last) = ParseRange(range, offset);
                if (length is { } declared && declared != last - first + 1)
                {
                    throw new RegistryException(RegistryError.SizeInvalid,
                        $"provided length did not match content length: Content-Range {first}-{last} is {last - first + 1} bytes, Content-Length is {declared}");
                }
                (start, length) = (first, last - first + 1);
            }
            offset = await IngestAsync(() => uploads.AppendAsync(context.Name, id, context.Request.Body, start, length, context.Aborted)).ConfigureAwait(false);
            Accepted(context, id, offset);
        }
        catch (UploadRangeException e)
        {
            context.Response.Headers.Location = UploadLocation(context, id);
            context.Response.Headers["Range"] = RangeHeader(e.Offset);
            throw new RegistryException(RegistryError.RangeInvalid, e.Message);
        }
    }

    public async Task CompleteAsync(DistributionContext context)
    {
        var id = context.Route.Reference;
        if (!context.Request.Query.TryGetValue("digest", out var digestText))
        {
            throw new RegistryException(RegistryError.DigestInvalid, "the digest query parameter is required to complete an upload");
        }
        var digest = BlobEndpoints.ParseDigest(digestText.ToString());
        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        var size = await IngestAsync(() => uploads.CompleteAsync(context.Name, id, digest, hasBody ? context.Request.Body : null,
            hasBody ? context.Request.ContentLength : null, context.Aborted)).ConfigureAwait(false);
        await catalog.LinkBlobAsync(context.Name, digest, size, context.Aborted).ConfigureAwait(false);
        Created(context, digest);
    }

    public Task StatusAsync(DistributionContext context)
    {
        var offset = uploads.Offset(context.Name, context.Route.Reference)
            ?? throw new RegistryException(RegistryError.BlobUploadUnknown, $"upload '{context.Route.Reference}' is unknown");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers.Location = UploadLocation(context, context.Route.Reference);
        context.Response.Headers["Range"] = RangeHeader(offset);
        context.Response.Headers["Docker-Upload-UUID"] = context.Route.Reference;
        return Task.CompletedTask;
    }

    public Task CancelAsync(DistributionContext context)
    {
        if (!uploads.Cancel(context.Name, context.Route.Reference))
        {
            throw new RegistryException(RegistryError.BlobUploadUnknown, $"upload '{context.Route.Reference}' is unknown");
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>Runs a content operation, turning storage outcomes into the spec's errors.</summary>
    private static async Task<long> IngestAsync(Func<Task<long>> ingest)
    {
        try
        {
            return await ingest().ConfigureAwait(false);
        }
        catch (ContentMismatchException e) when (e.Kind == ContentMismatch.Digest)
        {
            throw new RegistryException(RegistryError.DigestInvalid, e.Message);
        }
        catch (ContentMismatchException e)
        {
            throw new RegistryException(RegistryError.SizeInvalid, e.Message);
        }
        catch (UploadUnknownException e)
        {
            throw new RegistryException(RegistryError.BlobUploadUnknown, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            throw new RegistryException(RegistryError.SizeInvalid, $"request body ended early: {e.Message}");
        }
    }

    /// <summary>
    /// The first and last byte of a chunk's <c>Content-Range</c> (<c>first-last</c>, inclusive, as distribution and
    /// containers/image send it; an RFC 9110 <c>bytes </c> prefix is tolerated). A malformed or backwards range, or one
    /// that does not start at <paramref name="offset"/>, is 416.
    /// </summary>
    private static (long First, long Last) ParseRange(string range, long offset)
    {
        var text = range.StartsWith("bytes ", StringComparison.Ordinal) ? range[6..] : range;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first != offset || last < first || last == long.MaxValue)
        {
            throw new UploadRangeException(offset);
        }
        return (first, last);
    }

    private static void Created(DistributionContext context, Digest digest)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{context.Name}/blobs/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
    }

    private static void Accepted(DistributionContext context, string id, long offset)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers.Location = UploadLocation(context, id);
        context.Response.Headers["Range"] = RangeHeader(offset);
        context.Response.Headers["Docker-Upload-UUID"] = id;
    }

    private static string UploadLocation(DistributionContext context, string id) => $"/v2/{context.Name}/blobs/uploads/{id}";

    private static string RangeHeader(long offset) => string.Create(CultureInfo.InvariantCulture, $"0-{Math.Max(0, offset - 1)}");
}
