namespace Gantry.Registry.Distribution;

/// <summary>Checks the Basic credentials a registry client sends (user <c>AWS</c>, password from GetAuthorizationToken).</summary>
public interface IRegistryCredentials
{
    /// <summary>The caller's principal ARN, or null when the credentials are not valid.</summary>
    Task<string?> ValidateAsync(string user, string password, CancellationToken ct);
}
