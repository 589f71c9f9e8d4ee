using Gantry.Api.Front;
using Gantry.Domain.Arns;
using Gantry.Domain.Sts;
using Gantry.Iam;

namespace Gantry.Api.Sts;

/// <summary>
/// Declares the STS awsQuery service (<see cref="StsModel"/>, signed for <c>sts</c>) and its GetCallerIdentity: who the
/// signed request's access key belongs to. Needs no permission (as in AWS).
/// </summary>
public static class StsOperations
{
    public static AwsService Service { get; } = AwsService.Query(StsModel.Name, StsModel.SigningName, StsModel.Version, StsModel.XmlNamespace, StsModel.Errors);

    public static AwsOperationTable.Builder MapSts(this AwsOperationTable.Builder table, IamDirectory iam, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(iam);
        return table
            .Service(Service)
            .Map<GetCallerIdentityRequest, GetCallerIdentityResponse>(StsModel.Name, "GetCallerIdentity", async (_, call, ct) =>
            {
                var owner = await iam.Keys.FindOwnerAsync(call.AccessKeyId, ct).ConfigureAwait(false)
                    ?? throw new Domain.Errors.AwsException("InvalidClientTokenId", "The security token included in the request is invalid.");
                var user = owner.IsRoot ? null : await iam.Store.FindAsync(EntityKind.User, owner.UserName, ct).ConfigureAwait(false);
                return CallerIdentity.Of(owner, user?.Value.Id, account);
            });
    }
}
