using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;
using Gantry.Registry.Catalog;

namespace Gantry.Api.Ecr;

/// <summary>Resolving ECR image ids and shaping image records.</summary>
internal static class EcrImages
{
    public static string Describe(ImageIdentifier id) =>
        $"{{imageDigest:'{id.ImageDigest ?? "null"}', imageTag:'{id.ImageTag ?? "null"}'}}";

    /// <summary>The image an id names, or a failure code and reason as BatchGetImage/BatchDeleteImage report them.</summary>
    public static async Task<(ImageRecord? Image, string? FailureCode, string? Reason)> ResolveAsync(ImageCatalog catalog, string repository, ImageIdentifier id, CancellationToken ct)
    {
        if (id.ImageDigest is null && id.ImageTag is null)
        {
            return (null, ImageFailureCodeValues.MissingDigestAndTag, "Invalid request parameters: both tag and digest cannot be null");
        }
        if (id.ImageDigest is not null && !Oci.Digest.TryParse(id.ImageDigest, out _))
        {
            return (null, ImageFailureCodeValues.InvalidImageDigest, "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
        }
        if (id.ImageTag is not null && !RepositoryNames.IsValidTag(id.ImageTag))
        {
            return (null, ImageFailureCodeValues.InvalidImageTag, "Invalid request parameters: image tag is not valid");
        }
        var image = await catalog.ResolveAsync(repository, id.ImageTag ?? id.ImageDigest!, ct).ConfigureAwait(false);
        if (image is null)
        {
            return (null, ImageFailureCodeValues.ImageNotFound, "Requested image not found");
        }
        if (id.ImageTag is not null && id.ImageDigest is not null && image.Digest != id.ImageDigest)
        {
            return (null, ImageFailureCodeValues.ImageTagDoesNotMatchDigest, "Invalid request parameters: given tag does not match the given digest");
        }
        return (image, null, null);
    }

    public static bool Matches(ImageRecord image, string? tagStatus) => tagStatus switch
    {
        TagStatusValues.TAGGED => image.Tags.Count > 0,
        TagStatusValues.UNTAGGED => image.Tags.Count == 0,
        null or TagStatusValues.ANY => true,
        _ => throw EcrErrors.InvalidParameter($"Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]'"),
    };

    public static ImageDetail Detail(ImageRecord image, string registryId, string? configMediaType) => new()
    {
        RegistryId = registryId,
        RepositoryName = image.Repository,
        ImageDigest = image.Digest,
        ImageTags = image.Tags.Count == 0 ? null : image.Tags,
        ImageSizeInBytes = image.ContentSize,
        ImagePushedAt = image.PushedAt,
        ImageManifestMediaType = image.MediaType,
        ArtifactMediaType = configMediaType,
        LastRecordedPullTime = image.LastPulledAt,
    };
}
