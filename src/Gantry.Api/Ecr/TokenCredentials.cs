using Gantry.Auth.Tokens;
using Gantry.Domain.Arns;
using Gantry.Registry.Distribution;

namespace Gantry.Api.Ecr;

/// <summary>Registry Basic credentials checked against GetAuthorizationToken's passwords; the principal is the key's IAM identity.</summary>
public sealed class TokenCredentials(RegistryTokens tokens, AwsAccount account) : IRegistryCredentials
{
    public async Task<string?> ValidateAsync(string user, string password, CancellationToken ct)
    {
        var identity = await tokens.ValidateAsync(user, password, ct).ConfigureAwait(false);
        return identity is not { } id ? null : Principal(account, id.UserName);
    }

    public static string Principal(AwsAccount account, string userName)
    {
        ArgumentNullException.ThrowIfNull(account);
        return userName == "root" ? account.Root : $"arn:{account.Partition}:iam::{account.AccountId}:user/{userName}";
    }
}
