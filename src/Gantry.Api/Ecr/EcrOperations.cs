using Gantry.Api.Front;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecr;
using Gantry.Registry.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Api.Ecr;

/// <summary>Registers the ECR operations under <c>AmazonEC2ContainerRegistry_V20150921</c>.</summary>
public static class EcrOperations
{
    /// <summary>The SigV4 signing name (the model's <c>aws.auth#sigv4</c> name).</summary>
    public const string SigningName = "ecr";

    public const string Prefix = "AmazonEC2ContainerRegistry_V20150921";

    /// <summary>Maps every ECR operation over <paramref name="registry"/>.</summary>
    public static AwsOperationTable.Builder MapEcr(this AwsOperationTable.Builder table, RegistryParts registry, AwsAccount account, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var ecr = new EcrContext(registry.Catalog, new EcrArns(account), time);
        var lifecycle = new LifecycleRunner(registry.Catalog, time, NullLogger<LifecycleRunner>.Instance);
        return table.MapEcr(new RepositoryOperations(ecr), new ImageOperations(ecr), new LayerOperations(ecr, registry.Uploads),
            new PolicyOperations(ecr, lifecycle), new EcrTagging(ecr),
            new AuthorizationOperations(registry.Tokens, async (key, ct) => (await registry.Keys.FindOwnerAsync(key, ct).ConfigureAwait(false))?.UserName
                ?? (registry.Sessions.ClaimsOf(key) is { } session ? session.RoleName ?? session.UserName ?? "root" : null)
                ?? throw new InvalidOperationException($"The access key {key} that signed the request is gone.")));
    }

    private static AwsOperationTable.Builder MapEcr(this AwsOperationTable.Builder table, RepositoryOperations repositories, ImageOperations images,
        LayerOperations layers, PolicyOperations policies, EcrTagging tags, AuthorizationOperations authorization) => table
        .Service(Prefix, SigningName)
        .Map<CreateRepositoryRequest, CreateRepositoryResponse>(Prefix, "CreateRepository", repositories.CreateAsync)
        .Map<DescribeRepositoriesRequest, DescribeRepositoriesResponse>(Prefix, "DescribeRepositories", repositories.DescribeAsync)
        .Map<DeleteRepositoryRequest, DeleteRepositoryResponse>(Prefix, "DeleteRepository", repositories.DeleteAsync)
        .Map<PutImageTagMutabilityRequest, PutImageTagMutabilityResponse>(Prefix, "PutImageTagMutability", (r, _, ct) => repositories.PutImageTagMutabilityAsync(r, ct))
        .Map<PutImageScanningConfigurationRequest, PutImageScanningConfigurationResponse>(Prefix, "PutImageScanningConfiguration", (r, _, ct) => repositories.PutImageScanningConfigurationAsync(r, ct))
        .Map<ListImagesRequest, ListImagesResponse>(Prefix, "ListImages", (r, _, ct) => images.ListAsync(r, ct))
        .Map<DescribeImagesRequest, DescribeImagesResponse>(Prefix, "DescribeImages", (r, _, ct) => images.DescribeAsync(r, ct))
        .Map<BatchGetImageRequest, BatchGetImageResponse>(Prefix, "BatchGetImage", (r, _, ct) => images.BatchGetAsync(r, ct))
        .Map<PutImageRequest, PutImageResponse>(Prefix, "PutImage", (r, _, ct) => images.PutAsync(r, ct))
        .Map<BatchDeleteImageRequest, BatchDeleteImageResponse>(Prefix, "BatchDeleteImage", (r, _, ct) => images.BatchDeleteAsync(r, ct))
        .Map<BatchCheckLayerAvailabilityRequest, BatchCheckLayerAvailabilityResponse>(Prefix, "BatchCheckLayerAvailability", (r, _, ct) => layers.CheckAsync(r, ct))
        .Map<InitiateLayerUploadRequest, InitiateLayerUploadResponse>(Prefix, "InitiateLayerUpload", (r, _, ct) => layers.InitiateAsync(r, ct))
        .Map<UploadLayerPartRequest, UploadLayerPartResponse>(Prefix, "UploadLayerPart", (r, _, ct) => layers.UploadPartAsync(r, ct))
        .Map<CompleteLayerUploadRequest, CompleteLayerUploadResponse>(Prefix, "CompleteLayerUpload", (r, _, ct) => layers.CompleteAsync(r, ct))
        .Map<GetDownloadUrlForLayerRequest, GetDownloadUrlForLayerResponse>(Prefix, "GetDownloadUrlForLayer", layers.DownloadUrlAsync)
        .Map<GetAuthorizationTokenRequest, GetAuthorizationTokenResponse>(Prefix, "GetAuthorizationToken", authorization.GetTokenAsync)
        .Map<SetRepositoryPolicyRequest, SetRepositoryPolicyResponse>(Prefix, "SetRepositoryPolicy", (r, _, ct) => policies.SetAsync(r, ct))
        .Map<GetRepositoryPolicyRequest, GetRepositoryPolicyResponse>(Prefix, "GetRepositoryPolicy", (r, _, ct) => policies.GetAsync(r, ct))
        .Map<DeleteRepositoryPolicyRequest, DeleteRepositoryPolicyResponse>(Prefix, "DeleteRepositoryPolicy", (r, _, ct) => policies.DeleteAsync(r, ct))
        .Map<PutLifecyclePolicyRequest, PutLifecyclePolicyResponse>(Prefix, "PutLifecyclePolicy", (r, _, ct) => policies.PutLifecycleAsync(r, ct))
        .Map<GetLifecyclePolicyRequest, GetLifecyclePolicyResponse>(Prefix, "GetLifecyclePolicy", (r, _, ct) => policies.GetLifecycleAsync(r, ct))
        .Map<DeleteLifecyclePolicyRequest, DeleteLifecyclePolicyResponse>(Prefix, "DeleteLifecyclePolicy", (r, _, ct) => policies.DeleteLifecycleAsync(r, ct))
        .Map<StartLifecyclePolicyPreviewRequest, StartLifecyclePolicyPreviewResponse>(Prefix, "StartLifecyclePolicyPreview", (r, _, ct) => policies.StartPreviewAsync(r, ct))
        .Map<GetLifecyclePolicyPreviewRequest, GetLifecyclePolicyPreviewResponse>(Prefix, "GetLifecyclePolicyPreview", (r, _, ct) => policies.GetPreviewAsync(r, ct))
        .Map<TagResourceRequest, TagResourceResponse>(Prefix, "TagResource", (r, _, ct) => tags.TagAsync(r, ct))
        .Map<UntagResourceRequest, UntagResourceResponse>(Prefix, "UntagResource", (r, _, ct) => tags.UntagAsync(r, ct))
        .Map<ListTagsForResourceRequest, ListTagsForResourceResponse>(Prefix, "ListTagsForResource", (r, _, ct) => tags.ListAsync(r, ct));
}
