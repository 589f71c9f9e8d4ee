using Gantry.Api.Front;
using Gantry.Domain.SecretsManager;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.SecretsManager;

/// <summary>Declares AWS Secrets Manager (<see cref="SecretsManagerModel"/>, AWS JSON 1.1, signed for <c>secretsmanager</c>) and registers its operations.</summary>
public static class SecretsManagerOperations
{
    public static AwsOperationTable.Builder MapSecretsManager(this AwsOperationTable.Builder table, SecretVault vault)
    {
        ArgumentNullException.ThrowIfNull(table);
        var secrets = new SecretOperations(vault);
        var listing = new SecretListing(vault);
        var policies = new SecretPolicyOperations(vault);
        const string sm = SecretsManagerModel.Name;
        return table
            .Service(sm, SecretsManagerModel.SigningName)
            .Map<CreateSecretRequest, CreateSecretResponse>(sm, "CreateSecret", (r, _, ct) => secrets.CreateAsync(r, ct))
            .Map<GetSecretValueRequest, GetSecretValueResponse>(sm, "GetSecretValue", (r, _, ct) => secrets.GetValueAsync(r, ct))
            .Map<PutSecretValueRequest, PutSecretValueResponse>(sm, "PutSecretValue", (r, _, ct) => secrets.PutValueAsync(r, ct))
            .Map<UpdateSecretRequest, UpdateSecretResponse>(sm, "UpdateSecret", (r, _, ct) => secrets.UpdateAsync(r, ct))
            .Map<DescribeSecretRequest, DescribeSecretResponse>(sm, "DescribeSecret", (r, _, ct) => secrets.DescribeAsync(r, ct))
            .Map<ListSecretsRequest, ListSecretsResponse>(sm, "ListSecrets", (r, _, ct) => listing.ListAsync(r, ct))
            .Map<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>(sm, "ListSecretVersionIds", (r, _, ct) => secrets.VersionsAsync(r, ct))
            .Map<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>(sm, "UpdateSecretVersionStage", (r, _, ct) => secrets.MoveStageAsync(r, ct))
            .Map<DeleteSecretRequest, DeleteSecretResponse>(sm, "DeleteSecret", (r, _, ct) => secrets.DeleteAsync(r, ct))
            .Map<RestoreSecretRequest, RestoreSecretResponse>(sm, "RestoreSecret", (r, _, ct) => secrets.RestoreAsync(r, ct))
            .Map<GetRandomPasswordRequest, GetRandomPasswordResponse>(sm, "GetRandomPassword", (r, _, _) => Task.FromResult(RandomPassword(r)))
            .Map<PutResourcePolicyRequest, PutResourcePolicyResponse>(sm, "PutResourcePolicy", (r, _, ct) => policies.PutAsync(r, ct))
            .Map<GetResourcePolicyRequest, GetResourcePolicyResponse>(sm, "GetResourcePolicy", (r, _, ct) => policies.GetAsync(r, ct))
            .Map<DeleteResourcePolicyRequest, DeleteResourcePolicyResponse>(sm, "DeleteResourcePolicy", (r, _, ct) => policies.DeleteAsync(r, ct))
            .Map<ValidateResourcePolicyRequest, ValidateResourcePolicyResponse>(sm, "ValidateResourcePolicy", (r, _, ct) => policies.ValidateAsync(r, ct))
            .Map<TagResourceRequest>(sm, "TagResource", (r, _, ct) => policies.TagAsync(r, ct))
            .Map<UntagResourceRequest>(sm, "UntagResource", (r, _, ct) => policies.UntagAsync(r, ct));
    }

    private static GetRandomPasswordResponse RandomPassword(GetRandomPasswordRequest r) => new()
    {
        RandomPassword = PasswordGenerator.Generate(new PasswordOptions(r.PasswordLength, r.ExcludeCharacters, r.ExcludeNumbers == true,
            r.ExcludePunctuation == true, r.ExcludeUppercase == true, r.ExcludeLowercase == true, r.IncludeSpace == true, r.RequireEachIncludedType != false)),
    };
}
