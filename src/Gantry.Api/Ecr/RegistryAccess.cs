using Gantry.Api.Authorization;
using Gantry.Auth.Tokens;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Registry.Catalog;
using Gantry.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Ecr;

/// <summary>
/// `/v2/` access as ECR gives it: the registry password names the access key that asked GetAuthorizationToken, and
/// each pull or push is decided for that key's owner as the same ECR action through the API would be — identity
/// policies, the repository's policy and tags (<see cref="EcrResourceRules.RepositoryTarget"/>), the client's address.
/// </summary>
public sealed class RegistryAccess(RegistryTokens tokens, RequestAuthorizer authorizer, AwsAccount account) : IRegistryAccess
{
    private readonly EcrArns _arns = new(account);

    public async Task<string?> AuthenticateAsync(string user, string password, CancellationToken ct) =>
        (await tokens.ValidateAsync(user, password, ct).ConfigureAwait(false))?.AccessKeyId;

    public async Task<string?> DeniedAsync(string caller, string action, RepositoryRecord repository, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(http);
        var target = new AuthorizationTarget(_arns.Repository(repository.Name), repository.PolicyText, repository.Tags);
        try
        {
            await authorizer.AuthorizeAsync(caller, action, [target], ([], []), new RequestAuthorizer.Origin(http.Connection.RemoteIpAddress, http.Request.IsHttps), ct)
                .ConfigureAwait(false);
            return null;
        }
        catch (AwsException e)
        {
            return e.Message;
        }
    }
}
