using System.Security.Cryptography;
using System.Text;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Sts;

namespace Gantry.Api.Sts;

/// <summary>What GetCallerIdentity answers for the owner of an access key, in AWS's forms.</summary>
public static class CallerIdentity
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>
    /// The account root (the root key, whatever its user name): UserId the account id, ARN
    /// <c>arn:aws:iam::&lt;account&gt;:root</c>. Another key's user: <c>arn:aws:iam::&lt;account&gt;:user/&lt;name&gt;</c> with the
    /// IAM user's id, or, for a key of no IAM user, an <c>AIDA</c> id fixed by the account and name.
    /// </summary>
    public static GetCallerIdentityResponse Of(KeyOwner owner, string? userId, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(account);
        if (owner.IsRoot)
        {
            return new GetCallerIdentityResponse { UserId = account.AccountId, Account = account.AccountId, Arn = account.Root };
        }
        return new GetCallerIdentityResponse
        {
            UserId = userId ?? UserId(account.AccountId, owner.UserName),
            Account = account.AccountId,
            Arn = $"arn:{account.Partition}:iam::{account.AccountId}:user/{owner.UserName}",
        };
    }

    /// <summary>An IAM user id: <c>AIDA</c> and 17 more characters of AWS's alphabet (here from a hash of account and name).</summary>
    private static string UserId(string accountId, string userName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}/{userName}"));
        return "AIDA" + string.Concat(hash.Take(17).Select(b => Base32[b % 32]));
    }
}
