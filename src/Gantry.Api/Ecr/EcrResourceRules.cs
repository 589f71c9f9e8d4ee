using Gantry.Api.Authorization;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecr;
using Gantry.Registry.Catalog;

namespace Gantry.Api.Ecr;

/// <summary>
/// The resources of ECR's actions: the repository a request names, with its repository policy (which may grant other
/// principals, or deny) and its tags (aws:ResourceTag/*); several for DescribeRepositories with names; "*" for
/// GetAuthorizationToken and DescribeRepositories without names. The same question is asked of `/v2/` pulls and
/// pushes (<see cref="RegistryAuthorizer"/>).
/// </summary>
public static class EcrResourceRules
{
    private const string Prefix = EcrOperations.Prefix;

    public static ResourceRules.Builder MapEcrResources(this ResourceRules.Builder rules, ImageCatalog catalog, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var arns = new EcrArns(account);

        async ValueTask<IReadOnlyList<AuthorizationTarget>> Repositories(IEnumerable<string?> names, CancellationToken ct)
        {
            var targets = new List<AuthorizationTarget>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                targets.Add(await RepositoryTarget(catalog, arns, name ?? "", ct).ConfigureAwait(false));
            }
            return targets;
        }

        ResourceRules.Builder One<TRequest>(ResourceRules.Builder builder, string name, Func<TRequest, string?> repository)
            where TRequest : class => builder.For<TRequest>(Prefix, name, (r, ct) => Repositories([repository(r)], ct), resourcePolicies: true);

        rules = One<CreateRepositoryRequest>(rules, "CreateRepository", r => r.RepositoryName);
        rules = One<DeleteRepositoryRequest>(rules, "DeleteRepository", r => r.RepositoryName);
        rules = One<PutImageTagMutabilityRequest>(rules, "PutImageTagMutability", r => r.RepositoryName);
        rules = One<PutImageScanningConfigurationRequest>(rules, "PutImageScanningConfiguration", r => r.RepositoryName);
        rules = One<ListImagesRequest>(rules, "ListImages", r => r.RepositoryName);
        rules = One<DescribeImagesRequest>(rules, "DescribeImages", r => r.RepositoryName);
        rules = One<BatchGetImageRequest>(rules, "BatchGetImage", r => r.RepositoryName);
        rules = One<PutImageRequest>(rules, "PutImage", r => r.RepositoryName);
        rules = One<BatchDeleteImageRequest>(rules, "BatchDeleteImage", r => r.RepositoryName);
        rules = One<BatchCheckLayerAvailabilityRequest>(rules, "BatchCheckLayerAvailability", r => r.RepositoryName);
        rules = One<InitiateLayerUploadRequest>(rules, "InitiateLayerUpload", r => r.RepositoryName);
        rules = One<UploadLayerPartRequest>(rules, "UploadLayerPart", r => r.RepositoryName);
        rules = One<CompleteLayerUploadRequest>(rules, "CompleteLayerUpload", r => r.RepositoryName);
        rules = One<GetDownloadUrlForLayerRequest>(rules, "GetDownloadUrlForLayer", r => r.RepositoryName);
        rules = One<SetRepositoryPolicyRequest>(rules, "SetRepositoryPolicy", r => r.RepositoryName);
        rules = One<GetRepositoryPolicyRequest>(rules, "GetRepositoryPolicy", r => r.RepositoryName);
        rules = One<DeleteRepositoryPolicyRequest>(rules, "DeleteRepositoryPolicy", r => r.RepositoryName);
        rules = One<PutLifecyclePolicyRequest>(rules, "PutLifecyclePolicy", r => r.RepositoryName);
        rules = One<GetLifecyclePolicyRequest>(rules, "GetLifecyclePolicy", r => r.RepositoryName);
        rules = One<DeleteLifecyclePolicyRequest>(rules, "DeleteLifecyclePolicy", r => r.RepositoryName);
        rules = One<StartLifecyclePolicyPreviewRequest>(rules, "StartLifecyclePolicyPreview", r => r.RepositoryName);
        rules = One<GetLifecyclePolicyPreviewRequest>(rules, "GetLifecyclePolicyPreview", r => r.RepositoryName);
        rules = One<TagResourceRequest>(rules, "TagResource", r => arns.RepositoryName(r.ResourceArn ?? ""));
        rules = One<UntagResourceRequest>(rules, "UntagResource", r => arns.RepositoryName(r.ResourceArn ?? ""));
        rules = One<ListTagsForResourceRequest>(rules, "ListTagsForResource", r => arns.RepositoryName(r.ResourceArn ?? ""));
        return rules.For<DescribeRepositoriesRequest>(Prefix, "DescribeRepositories",
            (r, ct) => r.RepositoryNames is { Count: > 0 } names ? Repositories(names, ct) : ValueTask.FromResult(AuthorizationTarget.AnyResource), resourcePolicies: true);
    }

    /// <summary>A repository as IAM sees it: its ARN, policy and tags (none yet for one that does not exist).</summary>
    public static async ValueTask<AuthorizationTarget> RepositoryTarget(ImageCatalog catalog, EcrArns arns, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(arns);
        var repository = string.IsNullOrEmpty(name) ? null : await catalog.FindRepositoryAsync(name, ct).ConfigureAwait(false);
        return new AuthorizationTarget(arns.Repository(name), repository?.Value.PolicyText, repository?.Value.Tags);
    }
}
