using Gantry.Api.Front;
using Gantry.Auth.Keys;
using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed: IAM users' keys (the
/// caller's own when no user is named). The root key is never listed, changed or deleted here.</summary>
public sealed class AccessKeyOperations(IamDirectory iam)
{
    public async Task<CreateAccessKeyResponse> CreateAsync(CreateAccessKeyRequest request, AwsCallContext call, CancellationToken ct)
    {
        var user = await IamCaller.UserAsync(iam, request.UserName, call, ct).ConfigureAwait(false);
        var key = await iam.AccessKeys.CreateAsync(user, ct).ConfigureAwait(false);
        return new CreateAccessKeyResponse
        {
            AccessKey = new Domain.Iam.AccessKey
            {
                UserName = key.UserName,
                AccessKeyId = key.AccessKeyId,
                Status = AccessKeyStore.Active,
                SecretAccessKey = key.SecretAccessKey,
                CreateDate = (await iam.Keys.FindRecordAsync(key.AccessKeyId, ct).ConfigureAwait(false))?.Record.CreatedAt,
            },
        };
    }

    public async Task<ListAccessKeysResponse> ListAsync(ListAccessKeysRequest request, AwsCallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var max = IamInput.MaxItems(request.MaxItems);
        if (request.UserName is null && (await IamCaller.OwnerAsync(iam, call, ct).ConfigureAwait(false)).IsRoot)
        {
            return new ListAccessKeysResponse { AccessKeyMetadata = [], IsTruncated = false };
        }
        var user = await IamCaller.UserAsync(iam, request.UserName, call, ct).ConfigureAwait(false);
        var keys = await iam.AccessKeys.ListAsync(user, ct).ConfigureAwait(false);
        var page = IamPages.Of(keys, k => k.AccessKeyId, request.Marker, max);
        return new ListAccessKeysResponse
        {
            AccessKeyMetadata = [.. page.Items.Select(k => new AccessKeyMetadata { UserName = k.UserName, AccessKeyId = k.AccessKeyId, Status = k.Status, CreateDate = k.CreatedAt })],
            IsTruncated = page.IsTruncated,
            Marker = page.Marker,
        };
    }

    public async Task UpdateAsync(UpdateAccessKeyRequest request, AwsCallContext call, CancellationToken ct)
    {
        var id = request.AccessKeyId ?? throw IamErrors.Missing("accessKeyId");
        var status = request.Status ?? throw IamErrors.Missing("status");
        if (!statusTypeValues.All.Contains(status))
        {
            throw IamErrors.Validation(
                $"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        }
        var user = await IamCaller.UserAsync(iam, request.UserName, call, ct).ConfigureAwait(false);
        await iam.AccessKeys.UpdateAsync(user, id, status, ct).ConfigureAwait(false);
    }

    public async Task DeleteAsync(DeleteAccessKeyRequest request, AwsCallContext call, CancellationToken ct)
    {
        var id = request.AccessKeyId ?? throw IamErrors.Missing("accessKeyId");
        var user = await IamCaller.UserAsync(iam, request.UserName, call, ct).ConfigureAwait(false);
        await iam.AccessKeys.DeleteAsync(user, id, ct).ConfigureAwait(false);
    }

    public async Task<GetAccessKeyLastUsedResponse> LastUsedAsync(GetAccessKeyLastUsedRequest request, CancellationToken ct)
    {
        var (user, use) = await iam.AccessKeys.LastUsedAsync(request.AccessKeyId ?? throw IamErrors.Missing("accessKeyId"), ct).ConfigureAwait(false);
        return new GetAccessKeyLastUsedResponse
        {
            UserName = user,
            AccessKeyLastUsed = use is null
                ? new AccessKeyLastUsed { ServiceName = "N/A", Region = "N/A" }
                : new AccessKeyLastUsed { LastUsedDate = use.At, ServiceName = use.Service, Region = use.Region },
        };
    }
}
