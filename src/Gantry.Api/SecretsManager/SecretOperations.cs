using Gantry.Domain.SecretsManager;
using Gantry.Secrets;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.SecretsManager;

/// <summary>The secret lifecycle: CreateSecret, GetSecretValue, PutSecretValue, UpdateSecret, DescribeSecret, ListSecretVersionIds,
/// UpdateSecretVersionStage, DeleteSecret and RestoreSecret.</summary>
public sealed class SecretOperations(SecretVault vault)
{
    public const int MaxDescription = 2048;

    public async Task<CreateSecretResponse> CreateAsync(CreateSecretRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AddReplicaRegions is { Count: > 0 })
        {
            throw SecretErrors.Invalid("Gantry does not replicate secrets to other Regions: AddReplicaRegions is not supported.");
        }
        var created = new NewSecret(request.Name ?? "", Description(request.Description), request.KmsKeyId,
            SecretPayload.Of(request.SecretString, request.SecretBinary), request.ClientRequestToken, SecretInput.Tags(request.Tags));
        var (secret, versionId) = await vault.CreateAsync(created, ct).ConfigureAwait(false);
        return new CreateSecretResponse { ARN = secret.Arn, Name = secret.Name, VersionId = versionId };
    }

    public async Task<GetSecretValueResponse> GetValueAsync(GetSecretValueRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = await vault.GetValueAsync(request.SecretId, request.VersionId, request.VersionStage, ct).ConfigureAwait(false);
        return new GetSecretValueResponse
        {
            ARN = value.Secret.Arn,
            Name = value.Secret.Name,
            VersionId = value.Version.VersionId,
            SecretString = value.SecretString,
            SecretBinary = value.SecretBinary,
            VersionStages = value.Version.Stages,
            CreatedDate = value.Version.CreatedDate,
        };
    }

    public async Task<PutSecretValueResponse> PutValueAsync(PutSecretValueRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (secret, version) = await vault.PutValueAsync(request.SecretId, request.ClientRequestToken,
            SecretPayload.Of(request.SecretString, request.SecretBinary), SecretInput.Strings(request.VersionStages, "VersionStages"), ct).ConfigureAwait(false);
        return new PutSecretValueResponse { ARN = secret.Arn, Name = secret.Name, VersionId = version.VersionId, VersionStages = version.Stages };
    }

    public async Task<UpdateSecretResponse> UpdateAsync(UpdateSecretRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (secret, version) = await vault.UpdateAsync(request.SecretId, Description(request.Description), request.KmsKeyId, request.ClientRequestToken,
            SecretPayload.Of(request.SecretString, request.SecretBinary), ct).ConfigureAwait(false);
        return new UpdateSecretResponse { ARN = secret.Arn, Name = secret.Name, VersionId = version?.VersionId };
    }

    public async Task<DescribeSecretResponse> DescribeAsync(DescribeSecretRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = (await vault.FindAsync(request.SecretId, allowDeleted: true, ct).ConfigureAwait(false)).Value;
        return new DescribeSecretResponse
        {
            ARN = s.Arn,
            Name = s.Name,
            Description = s.Description,
            KmsKeyId = s.KmsKeyId,
            RotationEnabled = false,
            LastChangedDate = s.LastChangedDate,
            LastAccessedDate = s.LastAccessedDate,
            DeletedDate = s.DeletedDate,
            Tags = SecretInput.Wire(s.Tags),
            VersionIdsToStages = SecretInput.VersionIdsToStages(s),
            CreatedDate = s.CreatedDate,
        };
    }

    public async Task<ListSecretVersionIdsResponse> VersionsAsync(ListSecretVersionIdsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = SecretInput.PageSize(request.MaxResults);
        var s = (await vault.FindAsync(request.SecretId, allowDeleted: true, ct).ConfigureAwait(false)).Value;
        var versions = s.Versions.Where(v => request.IncludeDeprecated == true || v.Stages.Count > 0).Reverse().ToList();
        var start = SecretInput.Offset(request.NextToken, versions.Count);
        var page = versions.Skip(start).Take(max).Select(v => new SecretVersionsListEntry
        {
            VersionId = v.VersionId,
            VersionStages = v.Stages,
            CreatedDate = v.CreatedDate,
            KmsKeyIds = [s.KmsKeyId ?? SecretVault.DefaultKmsKeyId],
        }).ToList();
        return new ListSecretVersionIdsResponse
        {
            Versions = page,
            ARN = s.Arn,
            Name = s.Name,
            NextToken = start + max < versions.Count ? PageTokens.WriteOffset(start + max) : null,
        };
    }

    public async Task<UpdateSecretVersionStageResponse> MoveStageAsync(UpdateSecretVersionStageRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await vault.MoveStageAsync(request.SecretId, request.VersionStage, request.MoveToVersionId, request.RemoveFromVersionId, ct).ConfigureAwait(false);
        return new UpdateSecretVersionStageResponse { ARN = s.Arn, Name = s.Name };
    }

    public async Task<DeleteSecretResponse> DeleteAsync(DeleteSecretRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await vault.DeleteAsync(request.SecretId, request.RecoveryWindowInDays, request.ForceDeleteWithoutRecovery == true, ct).ConfigureAwait(false);
        return new DeleteSecretResponse { ARN = s.Arn, Name = s.Name, DeletionDate = s.DeletionDate };
    }

    public async Task<RestoreSecretResponse> RestoreAsync(RestoreSecretRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await vault.RestoreAsync(request.SecretId, ct).ConfigureAwait(false);
        return new RestoreSecretResponse { ARN = s.Arn, Name = s.Name };
    }

    private static string? Description(string? description) =>
        description is { Length: > MaxDescription } ? throw SecretErrors.Invalid($"Description can't be longer than {MaxDescription} characters.") : description;
}
