using System.Text;
using Gantry.Api.Front;
using Gantry.Auth.Tokens;
using Gantry.Domain.Ecr;

namespace Gantry.Api.Ecr;

/// <summary>GetAuthorizationToken: a 12-hour registry password for the calling key, as <c>base64("AWS:" + password)</c>.</summary>
public sealed class AuthorizationOperations(RegistryTokens tokens, Func<string, CancellationToken, ValueTask<string>> userOfKey)
{
    public async Task<GetAuthorizationTokenResponse> GetTokenAsync(GetAuthorizationTokenRequest request, AwsCallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = await userOfKey(call.AccessKeyId, ct).ConfigureAwait(false);
        var (password, expires) = tokens.Issue(call.AccessKeyId, user, call.SessionToken);
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryTokens.User}:{password}"));
        return new GetAuthorizationTokenResponse
        {
            AuthorizationData = [new AuthorizationData { AuthorizationToken = token, ExpiresAt = expires, ProxyEndpoint = $"http://{call.Host}" }],
        };
    }
}
