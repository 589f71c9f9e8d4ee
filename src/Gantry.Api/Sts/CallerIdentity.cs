using Gantry.Api.Authorization;
using Gantry.Domain.Sts;

namespace Gantry.Api.Sts;

/// <summary>What GetCallerIdentity answers: the caller's ARN and unique id as AWS forms them (the account id for the
/// root, <c>AIDA…</c> for a user, <c>AROA…:&lt;session&gt;</c> for a role session).</summary>
public static class CallerIdentity
{
    public static GetCallerIdentityResponse Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new GetCallerIdentityResponse { UserId = caller.UserId, Account = caller.AccountId, Arn = caller.Arn };
    }
}
