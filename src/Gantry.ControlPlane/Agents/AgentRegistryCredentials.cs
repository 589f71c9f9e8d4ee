using Gantry.Auth.Keys;
using Gantry.Auth.Tokens;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Credentials for an agent's pulls from the control plane's own registry, minted for each RunTask the way ECS hands
/// its agent ECR auth: a 12-hour registry token of the root key, so agents need no AWS key of their own.
/// </summary>
public sealed class AgentRegistryCredentials(RegistryTokens tokens, AccessKeyStore keys)
{
    private string? _rootKeyId;

    public async Task<(string User, string Password)> IssueAsync(CancellationToken ct)
    {
        _rootKeyId ??= (await keys.EnsureRootKeyAsync(ct).ConfigureAwait(false)).AccessKeyId;
        return (RegistryTokens.User, tokens.Issue(_rootKeyId, "root").Password);
    }
}
