using Gantry.Domain.Ecr;
using Gantry.Domain.Ecr.Lifecycle;
using Gantry.Domain.Errors;
using Gantry.Registry.Lifecycle;
using Gantry.Registry.Policies;

namespace Gantry.Api.Ecr;

/// <summary>Repository policies (Set/Get/Delete) and lifecycle policies (Put/Get/Delete, preview).</summary>
public sealed class PolicyOperations(EcrContext ecr, LifecycleRunner lifecycle)
{
    private const string PreviewKind = "ecr-lifecycle-preview";

    public async Task<SetRepositoryPolicyResponse> SetAsync(SetRepositoryPolicyRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var text = request.PolicyText ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'policyText' failed to satisfy constraint: 'Member must not be null'");
        if (text.Length > 10240 || RepositoryPolicy.Validate(text) is { } problem)
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'PolicyText' failed to satisfy constraint: '{RepositoryPolicy.Validate(text) ?? "at most 10240 characters"}'");
        }
        await ecr.UpdateAsync(repo.Value.Name, r => r with { PolicyText = text }, ct).ConfigureAwait(false);
        return new SetRepositoryPolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Value.Name, PolicyText = text };
    }

    public async Task<GetRepositoryPolicyResponse> GetAsync(GetRepositoryPolicyRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var text = repo.Value.PolicyText ?? throw EcrErrors.RepositoryPolicyNotFound(repo.Value.Name, ecr.RegistryId);
        return new GetRepositoryPolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Value.Name, PolicyText = text };
    }

    public async Task<DeleteRepositoryPolicyResponse> DeleteAsync(DeleteRepositoryPolicyRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var text = repo.Value.PolicyText ?? throw EcrErrors.RepositoryPolicyNotFound(repo.Value.Name, ecr.RegistryId);
        await ecr.UpdateAsync(repo.Value.Name, r => r with { PolicyText = null }, ct).ConfigureAwait(false);
        return new DeleteRepositoryPolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Value.Name, PolicyText = text };
    }

    public async Task<PutLifecyclePolicyResponse> PutLifecycleAsync(PutLifecyclePolicyRequest request, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var text = request.LifecyclePolicyText ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must not be null'");
        LifecyclePolicyParser.Parse(text);
        await ecr.UpdateAsync(repo.Value.Name, r => r with { LifecyclePolicyText = text }, ct).ConfigureAwait(false);
        return new PutLifecyclePolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Value.Name, LifecyclePolicyText = text };
    }

    public async Task<GetLifecyclePolicyResponse> GetLifecycleAsync(GetLifecyclePolicyRequest request, CancellationToken ct)
    {
        var repo = (await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false)).Value;
        var text = repo.LifecyclePolicyText ?? throw EcrErrors.LifecyclePolicyNotFound(repo.Name, ecr.RegistryId);
        return new GetLifecyclePolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Name, LifecyclePolicyText = text, LastEvaluatedAt = repo.LifecycleEvaluatedAt };
    }

    public async Task<DeleteLifecyclePolicyResponse> DeleteLifecycleAsync(DeleteLifecyclePolicyRequest request, CancellationToken ct)
    {
        var repo = (await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false)).Value;
        var text = repo.LifecyclePolicyText ?? throw EcrErrors.LifecyclePolicyNotFound(repo.Name, ecr.RegistryId);
        await ecr.UpdateAsync(repo.Name, r => r with { LifecyclePolicyText = null }, ct).ConfigureAwait(false);
        return new DeleteLifecyclePolicyResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Name, LifecyclePolicyText = text, LastEvaluatedAt = repo.LifecycleEvaluatedAt };
    }

    /// <summary>Evaluates the given (or stored) policy now and keeps the result for GetLifecyclePolicyPreview.</summary>
    public async Task<StartLifecyclePolicyPreviewResponse> StartPreviewAsync(StartLifecyclePolicyPreviewRequest request, CancellationToken ct)
    {
        var repo = (await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false)).Value;
        var text = request.LifecyclePolicyText ?? repo.LifecyclePolicyText ?? throw EcrErrors.LifecyclePolicyNotFound(repo.Name, ecr.RegistryId);
        var expired = await lifecycle.PreviewAsync(repo.Name, text, ct).ConfigureAwait(false);
        var preview = new LifecyclePreview(text, [.. expired.Select(e => new LifecyclePolicyPreviewResult
        {
            ImageDigest = e.Image.Digest,
            ImageTags = e.Image.Tags,
            ImagePushedAt = e.Image.PushedAt,
            AppliedRulePriority = e.RulePriority,
            Action = new LifecyclePolicyRuleAction { Type = ImageActionTypeValues.EXPIRE },
        })]);
        await ecr.Catalog.Documents.Store.CommitAsync([ecr.Catalog.Documents.Put(PreviewKind, repo.Name, preview, null)], ct).ConfigureAwait(false);
        return new StartLifecyclePolicyPreviewResponse
        {
            RegistryId = ecr.RegistryId,
            RepositoryName = repo.Name,
            LifecyclePolicyText = text,
            Status = LifecyclePolicyPreviewStatusValues.COMPLETE,
        };
    }

    public async Task<GetLifecyclePolicyPreviewResponse> GetPreviewAsync(GetLifecyclePolicyPreviewRequest request, CancellationToken ct)
    {
        var repo = (await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false)).Value;
        var preview = (await ecr.Catalog.Documents.GetAsync<LifecyclePreview>(PreviewKind, repo.Name, ct).ConfigureAwait(false))?.Value
            ?? throw EcrErrors.LifecyclePolicyPreviewNotFound(repo.Name, ecr.RegistryId);
        return new GetLifecyclePolicyPreviewResponse
        {
            RegistryId = ecr.RegistryId,
            RepositoryName = repo.Name,
            LifecyclePolicyText = preview.PolicyText,
            Status = LifecyclePolicyPreviewStatusValues.COMPLETE,
            PreviewResults = preview.Results,
            Summary = new LifecyclePolicyPreviewSummary { ExpiringImageTotalCount = preview.Results.Count },
        };
    }

    private sealed record LifecyclePreview(string PolicyText, IReadOnlyList<LifecyclePolicyPreviewResult> Results);
}
