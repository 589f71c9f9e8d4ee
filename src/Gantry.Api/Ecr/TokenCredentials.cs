using Gantry.Auth.Keys;
using Gantry.Auth.Tokens;
using Gantry.Domain.Arns;
using Gantry.Registry.Distribution;

namespace Gantry.Api.Ecr;

/// <summary>Registry Basic credentials checked against GetAuthorizationToken's passwords; the principal is the key's IAM identity.</summary>
public sealed class TokenCredentials(RegistryTokens tokens, AccessKeyStore keys, AwsAccount account) : IRegistryCredentials
{
    public async Task<string?> ValidateAsync(string user, string password, CancellationToken ct)
    {
        if (await tokens.ValidateAsync(user, password, ct).ConfigureAwait(false) is not { } id
            || await keys.FindOwnerAsync(id.AccessKeyId, ct).ConfigureAwait(false) is not { } owner)
        {
            return null;
        }
        return Principal(account, owner);
    }

    /// <summary>The account root for the root key, else the key's user (a user named "root" is a user).</summary>
    private static string Principal(AwsAccount account, KeyOwner owner)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(owner);
        return owner.IsRoot ? account.Root : $"arn:{account.Partition}:iam::{account.AccountId}:user/{owner.UserName}";
    }
}
