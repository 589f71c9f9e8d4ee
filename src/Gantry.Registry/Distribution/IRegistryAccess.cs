using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>
/// Who may do what in the registry: checks the Basic credentials a client sends (user <c>AWS</c>, password from
/// GetAuthorizationToken), then decides each pull or push as IAM decides the same ECR action through the API.
/// </summary>
public interface IRegistryAccess
{
    /// <summary>The caller (the access key the password was issued to), or null when the credentials are not valid.</summary>
    Task<string?> AuthenticateAsync(string user, string password, CancellationToken ct);

    /// <summary>Why <paramref name="caller"/> may not perform <paramref name="action"/> (e.g. ecr:BatchGetImage) on the
    /// repository, in AWS's words; null when it may.</summary>
    Task<string?> DeniedAsync(string caller, string action, RepositoryRecord repository, HttpContext http, CancellationToken ct);
}
