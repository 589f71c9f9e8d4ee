using Gantry.Api.Authorization;
using Gantry.Api.Front;
using Gantry.Domain.Sts;

namespace Gantry.Api.Sts;

/// <summary>
/// Declares the STS awsQuery service (<see cref="StsModel"/>, signed for <c>sts</c>): GetCallerIdentity (who signed),
/// GetSessionToken and AssumeRole (<see cref="StsSessions"/>). None is decided by the front door (<see cref="ExemptSts"/>):
/// the first two need no permission in AWS, AssumeRole is decided against the role's trust policy.
/// </summary>
public static class StsOperations
{
    public static AwsService Service { get; } = AwsService.Query(StsModel.Name, StsModel.SigningName, StsModel.Version, StsModel.XmlNamespace, StsModel.Errors);

    public static AwsOperationTable.Builder MapSts(this AwsOperationTable.Builder table, ICallerSource callers, StsSessions sessions)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(sessions);
        return table
            .Service(Service)
            .Map<GetCallerIdentityRequest, GetCallerIdentityResponse>(StsModel.Name, "GetCallerIdentity", async (_, call, ct) =>
                CallerIdentity.Of(await callers.FindAsync(call.AccessKeyId, ct).ConfigureAwait(false)
                    ?? throw RequestAuthorizer.UnknownCaller()))
            .Map<GetSessionTokenRequest, GetSessionTokenResponse>(StsModel.Name, "GetSessionToken", (r, call, ct) => sessions.GetSessionTokenAsync(r, call.AccessKeyId, ct))
            .Map<AssumeRoleRequest, AssumeRoleResponse>(StsModel.Name, "AssumeRole", (r, call, ct) => sessions.AssumeRoleAsync(r, call.AccessKeyId, ct));
    }

    /// <summary>The operations the front door lets through undecided.</summary>
    public static ResourceRules.Builder ExemptSts(this ResourceRules.Builder rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Unchecked(StsModel.Name, "GetCallerIdentity").Unchecked(StsModel.Name, "GetSessionToken").Unchecked(StsModel.Name, "AssumeRole");
    }
}
