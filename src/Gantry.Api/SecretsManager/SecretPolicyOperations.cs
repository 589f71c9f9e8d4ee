using Gantry.Domain.SecretsManager;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.SecretsManager;

/// <summary>Put/Get/Delete/ValidateResourcePolicy (IAM resource policies, validated by Gantry.Iam.Policies) and Tag/UntagResource.</summary>
public sealed class SecretPolicyOperations(SecretVault vault)
{
    public async Task<PutResourcePolicyResponse> PutAsync(PutResourcePolicyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await vault.PutPolicyAsync(request.SecretId, request.ResourcePolicy, ct).ConfigureAwait(false);
        return new PutResourcePolicyResponse { ARN = s.Arn, Name = s.Name };
    }

    public async Task<GetResourcePolicyResponse> GetAsync(GetResourcePolicyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = (await vault.FindAsync(request.SecretId, allowDeleted: false, ct).ConfigureAwait(false)).Value;
        return new GetResourcePolicyResponse { ARN = s.Arn, Name = s.Name, ResourcePolicy = s.ResourcePolicy };
    }

    public async Task<DeleteResourcePolicyResponse> DeleteAsync(DeleteResourcePolicyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await vault.DeletePolicyAsync(request.SecretId, ct).ConfigureAwait(false);
        return new DeleteResourcePolicyResponse { ARN = s.Arn, Name = s.Name };
    }

    /// <summary>Checks a policy (against its secret when SecretId is given, which must then exist); problems are answered, not thrown.</summary>
    public async Task<ValidateResourcePolicyResponse> ValidateAsync(ValidateResourcePolicyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = request.ResourcePolicy ?? throw SecretErrors.Invalid("You must specify ResourcePolicy.");
        if (request.SecretId is not null)
        {
            await vault.FindAsync(request.SecretId, allowDeleted: false, ct).ConfigureAwait(false);
        }
        var problem = SecretPolicies.Problem(policy);
        return new ValidateResourcePolicyResponse
        {
            PolicyValidationPassed = problem is null,
            ValidationErrors = problem is null ? [] : [new ValidationErrorsEntry { CheckName = "syntax", ErrorMessage = problem }],
        };
    }

    public Task TagAsync(TagResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return vault.TagAsync(request.SecretId, SecretInput.Tags(request.Tags ?? throw SecretErrors.Invalid("You must specify Tags.")), ct);
    }

    public Task UntagAsync(UntagResourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return vault.UntagAsync(request.SecretId, SecretInput.Strings(request.TagKeys, "TagKeys") ?? throw SecretErrors.Invalid("You must specify TagKeys."), ct);
    }
}
