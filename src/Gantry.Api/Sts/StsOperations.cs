using Gantry.Api.Front;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Sts;

namespace Gantry.Api.Sts;

/// <summary>
/// Declares the STS awsQuery service (<see cref="StsModel"/>, signed for <c>sts</c>) and its GetCallerIdentity: who the
/// signed request's access key belongs to. Needs no permission (as in AWS).
/// </summary>
public static class StsOperations
{
    public static AwsService Service { get; } = AwsService.Query(StsModel.Name, StsModel.SigningName, StsModel.Version, StsModel.XmlNamespace, StsModel.Errors);

    public static AwsOperationTable.Builder MapSts(this AwsOperationTable.Builder table, AccessKeyStore keys, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        return table
            .Service(Service)
            .Map<GetCallerIdentityRequest, GetCallerIdentityResponse>(StsModel.Name, "GetCallerIdentity",
                async (_, call, ct) => CallerIdentity.Of(await keys.FindUserAsync(call.AccessKeyId, ct).ConfigureAwait(false) ?? "root", account));
    }
}
