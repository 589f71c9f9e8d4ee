using Gantry.Api.Front;
using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;
using Gantry.Oci;
using Gantry.Registry.Content;

namespace Gantry.Api.Ecr;

/// <summary>The JSON API's layer operations (what the ECR proxy uses), over the same upload and blob stores as /v2/.</summary>
public sealed class LayerOperations(EcrContext ecr, UploadStore uploads)
{
    /// <summary>ECR's part size: 20 MiB, the largest <c>layerPartBlob</c> it accepts.</summary>
    public const long PartSize = 20_971_520;

    public async Task<BatchCheckLayerAvailabilityResponse> CheckAsync(BatchCheckLayerAvailabilityRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        if (request.LayerDigests is not { Count: > 0 and <= 100 } digests)
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'layerDigests' failed to satisfy constraint: 'Member must have length between 1 and 100'");
        }
        var layers = new List<Layer>();
        var failures = new List<LayerFailure>();
        foreach (var text in digests)
        {
            if (!Digest.TryParse(text, out var digest))
            {
                failures.Add(new LayerFailure { LayerDigest = text, FailureCode = LayerFailureCodeValues.InvalidLayerDigest, FailureReason = "Invalid layer digest" });
                continue;
            }
            var link = await ecr.Catalog.FindBlobAsync(repo.Value.Name, digest, ct).ConfigureAwait(false);
            if (link is null)
            {
                failures.Add(new LayerFailure { LayerDigest = text, FailureCode = LayerFailureCodeValues.MissingLayerDigest, FailureReason = "Layer not found" });
                continue;
            }
            layers.Add(new Layer { LayerDigest = text, LayerAvailability = LayerAvailabilityValues.AVAILABLE, LayerSize = link.Size, MediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip" });
        }
        return new BatchCheckLayerAvailabilityResponse { Layers = layers, Failures = failures };
    }

    public async Task<InitiateLayerUploadResponse> InitiateAsync(InitiateLayerUploadRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        return new InitiateLayerUploadResponse { UploadId = uploads.Start(repo.Value.Name), PartSize = PartSize };
    }

    public async Task<UploadLayerPartResponse> UploadPartAsync(UploadLayerPartRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        var id = request.UploadId ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'uploadId' failed to satisfy constraint: 'Member must not be null'");
        var blob = request.LayerPartBlob ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'layerPartBlob' failed to satisfy constraint: 'Member must not be null'");
        if (request.PartFirstByte is not { } first || request.PartLastByte is not { } last || last - first + 1 != blob.Length)
        {
            throw EcrErrors.InvalidLayerPart($"partFirstByte and partLastByte must span exactly the {blob.Length} bytes of layerPartBlob");
        }
        try
        {
            using var part = new MemoryStream(blob, writable: false);
            var offset = await uploads.AppendAsync(name, id, part, first, blob.Length, ct).ConfigureAwait(false);
            return new UploadLayerPartResponse { RegistryId = ecr.RegistryId, RepositoryName = name, UploadId = id, LastByteReceived = offset - 1 };
        }
        catch (UploadUnknownException)
        {
            throw EcrErrors.UploadNotFound($"Upload with id '{id}' was not found in the repository with name '{name}'");
        }
        catch (UploadRangeException e)
        {
            throw EcrErrors.InvalidLayerPart($"The part first byte {first} does not follow the last byte received; the next part must start at {e.Offset}");
        }
    }

    public async Task<CompleteLayerUploadResponse> CompleteAsync(CompleteLayerUploadRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        var id = request.UploadId ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'uploadId' failed to satisfy constraint: 'Member must not be null'");
        if (request.LayerDigests is not { Count: 1 } digests || !Digest.TryParse(digests[0], out var digest))
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'layerDigests': give exactly one valid layer digest");
        }
        var offset = uploads.Offset(name, id) ?? throw EcrErrors.UploadNotFound($"Upload with id '{id}' was not found in the repository with name '{name}'");
        if (offset == 0)
        {
            throw EcrErrors.EmptyUpload($"The upload with id '{id}' contains no layer parts");
        }
        if (await ecr.Catalog.FindBlobAsync(name, digest, ct).ConfigureAwait(false) is not null)
        {
            uploads.Cancel(name, id);
            throw EcrErrors.LayerAlreadyExists($"The layer with digest '{digest}' already exists in the repository with name '{name}'");
        }
        try
        {
            var size = await uploads.CompleteAsync(name, id, digest, null, null, ct).ConfigureAwait(false);
            await ecr.Catalog.LinkBlobAsync(name, digest, size, ct).ConfigureAwait(false);
        }
        catch (ContentMismatchException e)
        {
            throw EcrErrors.InvalidLayer($"The layer digest does not match the uploaded content: {e.Message}");
        }
        return new CompleteLayerUploadResponse { RegistryId = ecr.RegistryId, RepositoryName = name, UploadId = id, LayerDigest = digest.ToString() };
    }

    public async Task<GetDownloadUrlForLayerResponse> DownloadUrlAsync(GetDownloadUrlForLayerRequest request, AwsCallContext call, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        if (!Digest.TryParse(request.LayerDigest, out var digest))
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'layerDigest': '{request.LayerDigest}' is not a digest");
        }
        if (await ecr.Catalog.FindBlobAsync(name, digest, ct).ConfigureAwait(false) is null)
        {
            throw EcrErrors.LayersNotFound($"The layer with digest '{digest}' does not exist in the repository with name '{name}'");
        }
        return new GetDownloadUrlForLayerResponse { DownloadUrl = $"http://{call.Host}/v2/{name}/blobs/{digest}", LayerDigest = digest.ToString() };
    }
}
