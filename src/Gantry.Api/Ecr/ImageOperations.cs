using System.Text;
using Gantry.Api.State;
using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;
using Gantry.Oci;
using Gantry.Registry.Catalog;

namespace Gantry.Api.Ecr;

/// <summary>ListImages, DescribeImages, BatchGetImage, PutImage and BatchDeleteImage over the shared image catalog.</summary>
public sealed class ImageOperations(EcrContext ecr)
{
    public async Task<ListImagesResponse> ListAsync(ListImagesRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var limit = PageToken.Limit(request.MaxResults, max: 1000);
        var images = await ecr.Catalog.ListImagesAsync(repo.Value.Name, ct).ConfigureAwait(false);
        var ids = images.Where(i => EcrImages.Matches(i, request.Filter?.TagStatus))
            .SelectMany(i => i.Tags.Count == 0
                ? [new ImageIdentifier { ImageDigest = i.Digest }]
                : i.Tags.Select(t => new ImageIdentifier { ImageDigest = i.Digest, ImageTag = t }))
            .ToList();
        var (page, next) = Page(ids, request.NextToken, limit);
        return new ListImagesResponse { ImageIds = page, NextToken = next };
    }

    public async Task<DescribeImagesResponse> DescribeAsync(DescribeImagesRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        if (request.ImageIds is { Count: > 0 } ids)
        {
            var details = new List<ImageDetail>();
            foreach (var id in ids)
            {
                var (image, _, _) = await EcrImages.ResolveAsync(ecr.Catalog, name, id, ct).ConfigureAwait(false);
                if (image is null)
                {
                    throw EcrErrors.ImageNotFound($"The image with imageId {EcrImages.Describe(id)} does not exist within the repository with name '{name}' in the registry with id '{ecr.RegistryId}'");
                }
                details.Add(EcrImages.Detail(image, ecr.RegistryId, await ConfigMediaTypeAsync(image, ct).ConfigureAwait(false)));
            }
            return new DescribeImagesResponse { ImageDetails = details };
        }
        var limit = PageToken.Limit(request.MaxResults, max: 1000);
        var all = (await ecr.Catalog.ListImagesAsync(name, ct).ConfigureAwait(false)).Where(i => EcrImages.Matches(i, request.Filter?.TagStatus)).ToList();
        var (page, next) = Page(all, request.NextToken, limit);
        var shaped = new List<ImageDetail>(page.Count);
        foreach (var image in page)
        {
            shaped.Add(EcrImages.Detail(image, ecr.RegistryId, await ConfigMediaTypeAsync(image, ct).ConfigureAwait(false)));
        }
        return new DescribeImagesResponse { ImageDetails = shaped, NextToken = next };
    }

    public async Task<BatchGetImageResponse> BatchGetAsync(BatchGetImageRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        if (request.ImageIds is not { Count: > 0 and <= 100 } ids)
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
        }
        var images = new List<EcrImage>();
        var failures = new List<ImageFailure>();
        foreach (var id in ids)
        {
            var (image, code, reason) = await EcrImages.ResolveAsync(ecr.Catalog, repo.Value.Name, id, ct).ConfigureAwait(false);
            if (image is null)
            {
                failures.Add(new ImageFailure { ImageId = id, FailureCode = code, FailureReason = reason });
                continue;
            }
            if (request.AcceptedMediaTypes is { Count: > 0 } accepted && !accepted.Contains(image.MediaType))
            {
                failures.Add(new ImageFailure { ImageId = id, FailureCode = "UnsupportedImageType", FailureReason = $"The image is stored as {image.MediaType}, which is not in acceptedMediaTypes" });
                continue;
            }
            images.Add(new EcrImage
            {
                RegistryId = ecr.RegistryId,
                RepositoryName = repo.Value.Name,
                ImageId = new ImageIdentifier { ImageDigest = image.Digest, ImageTag = id.ImageTag },
                ImageManifest = await ReadManifestAsync(image, ct).ConfigureAwait(false),
                ImageManifestMediaType = image.MediaType,
            });
        }
        return new BatchGetImageResponse { Images = images, Failures = failures };
    }

    public async Task<PutImageResponse> PutAsync(PutImageRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        if (string.IsNullOrEmpty(request.ImageManifest))
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must not be null'");
        }
        if (request.ImageTag is not null && !RepositoryNames.IsValidTag(request.ImageTag))
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [a-zA-Z0-9_][a-zA-Z0-9._-]{{0,127}}'");
        }
        var bytes = Encoding.UTF8.GetBytes(request.ImageManifest);
        var digest = Digest.Of(bytes).ToString();
        if (request.ImageDigest is not null && request.ImageDigest != digest)
        {
            throw EcrErrors.ImageDigestDoesNotMatch($"Provided digest {request.ImageDigest} does not match the digest of the manifest, {digest}");
        }
        var existing = await ecr.Catalog.ResolveAsync(name, digest, ct).ConfigureAwait(false);
        if (existing is not null && (request.ImageTag is null || existing.Tags.Contains(request.ImageTag)))
        {
            throw EcrErrors.ImageAlreadyExists($"Image with digest '{digest}' and tag '{request.ImageTag ?? "null"}' already exists in the repository with name '{name}' in registry with id '{ecr.RegistryId}'");
        }
        ImageRecord image;
        try
        {
            image = await ecr.Catalog.PutManifestAsync(name, request.ImageTag ?? digest, bytes, request.ImageManifestMediaType, ct).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw e.Code switch
            {
                RegistryError.ManifestBlobUnknown => EcrErrors.LayersNotFound($"Layers with digests are not present in the repository with name '{name}': {e.Message}"),
                RegistryError.TagInvalid => EcrErrors.ImageTagAlreadyExists(e.Message),
                RegistryError.DigestInvalid => EcrErrors.ImageDigestDoesNotMatch(e.Message),
                _ => EcrErrors.InvalidParameter($"Invalid parameter at 'imageManifest': {e.Message}"),
            };
        }
        return new PutImageResponse
        {
            Image = new EcrImage
            {
                RegistryId = ecr.RegistryId,
                RepositoryName = name,
                ImageId = new ImageIdentifier { ImageDigest = image.Digest, ImageTag = request.ImageTag },
                ImageManifest = request.ImageManifest,
                ImageManifestMediaType = image.MediaType,
            },
        };
    }

    public async Task<BatchDeleteImageResponse> BatchDeleteAsync(BatchDeleteImageRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        if (request.ImageIds is not { Count: > 0 and <= 100 } ids)
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
        }
        var name = repo.Value.Name;
        var deleted = new List<ImageIdentifier>();
        var failures = new List<ImageFailure>();
        foreach (var id in ids)
        {
            var (image, code, reason) = await EcrImages.ResolveAsync(ecr.Catalog, name, id, ct).ConfigureAwait(false);
            if (image is null)
            {
                failures.Add(new ImageFailure { ImageId = id, FailureCode = code, FailureReason = reason });
                continue;
            }
            if (id.ImageTag is not null && image.Tags.Count > 1)
            {
                await ecr.Catalog.UntagAsync(name, id.ImageTag, ct).ConfigureAwait(false);
                deleted.Add(new ImageIdentifier { ImageDigest = image.Digest, ImageTag = id.ImageTag });
                continue;
            }
            // Deleting by digest, or removing an image's last tag, deletes the image.
            await ecr.Catalog.DeleteImageAsync(name, image.Digest, ct).ConfigureAwait(false);
            deleted.AddRange(image.Tags.Count == 0
                ? [new ImageIdentifier { ImageDigest = image.Digest }]
                : image.Tags.Select(t => new ImageIdentifier { ImageDigest = image.Digest, ImageTag = t }));
        }
        return new BatchDeleteImageResponse { ImageIds = deleted, Failures = failures };
    }

    private async Task<string> ReadManifestAsync(ImageRecord image, CancellationToken ct)
    {
        var digest = Digest.TryParse(image.Digest, out var parsed) ? parsed : throw new InvalidDataException($"stored digest {image.Digest}");
        await using var file = ecr.Catalog.Blobs.OpenRead(digest);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private async Task<string?> ConfigMediaTypeAsync(ImageRecord image, CancellationToken ct)
    {
        if (MediaTypes.IsIndex(image.MediaType))
        {
            return null;
        }
        var manifest = ManifestReader.Read(Encoding.UTF8.GetBytes(await ReadManifestAsync(image, ct).ConfigureAwait(false)), image.MediaType);
        return manifest.Config?.MediaType;
    }

    private static (List<T> Page, string? Next) Page<T>(List<T> all, string? token, int limit)
    {
        var start = 0;
        if (PageToken.Decode(token) is { } decoded && (!int.TryParse(decoded, System.Globalization.CultureInfo.InvariantCulture, out start) || start < 0))
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'nextToken'");
        }
        var page = all.Skip(start).Take(limit).ToList();
        var next = start + limit < all.Count ? PageToken.Encode((start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        return (page, next);
    }
}
