using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Auth.Keys;

namespace Gantry.Auth.Sessions;

/// <summary>
/// STS's temporary credentials without state: the session token is the <see cref="SessionClaims"/> sealed with the
/// master key (AES-GCM, bound to the ASIA access key id), and the secret key is derived from the token, so any replica
/// sharing the master key verifies any session and nothing is written per session. Opened tokens are cached by key id.
/// </summary>
public sealed class SessionTokens(MasterKey masterKey, TimeProvider time)
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int MaxCached = 10_000;
    private readonly byte[] _secretKey = masterKey.Derive("sts-session-secret");
    private readonly ConcurrentDictionary<string, (string Token, SessionClaims Claims, string Secret)> _opened = new(StringComparer.Ordinal);

    /// <summary>New credentials for <paramref name="claims"/> (whose AccessKeyId is replaced by a fresh ASIA id).</summary>
    public TemporaryCredentials Issue(SessionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var keyId = "ASIA" + RandomNumberGenerator.GetString(IdAlphabet, 16);
        var bound = claims with { AccessKeyId = keyId };
        var token = masterKey.Seal(JsonSerializer.Serialize(bound), keyId);
        return new TemporaryCredentials(keyId, SecretOf(token), token, bound.Expiration);
    }

    /// <summary>What the token says, with the secret that signs for it; Expired or Invalid when it cannot be used.</summary>
    public SessionCheck Check(string accessKeyId, string token)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        ArgumentNullException.ThrowIfNull(token);
        if (!_opened.TryGetValue(accessKeyId, out var opened) || opened.Token != token)
        {
            if (Open(accessKeyId, token) is not { } claims)
            {
                return SessionCheck.Invalid;
            }
            if (_opened.Count >= MaxCached)
            {
                _opened.Clear();
            }
            opened = (token, claims, SecretOf(token));
            _opened[accessKeyId] = opened;
        }
        return opened.Claims.Expiration <= time.GetUtcNow() ? SessionCheck.Expired : new SessionCheck(opened.Claims, opened.Secret);
    }

    /// <summary>The claims of a token whose credentials are known valid (the request was verified with them).</summary>
    public SessionClaims? ClaimsOf(string accessKeyId) => _opened.TryGetValue(accessKeyId, out var opened) ? opened.Claims : null;

    private SessionClaims? Open(string accessKeyId, string token)
    {
        if (!accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var claims = JsonSerializer.Deserialize<SessionClaims>(masterKey.Open(token, accessKeyId));
            return claims?.AccessKeyId == accessKeyId ? claims : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    private string SecretOf(string token) =>
        Convert.ToBase64String(HMACSHA256.HashData(_secretKey, Encoding.UTF8.GetBytes(token)))[..40];
}

/// <summary>Temporary credentials as STS returns them.</summary>
public sealed record TemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// <summary>The outcome of <see cref="SessionTokens.Check"/>: the claims and secret, or why there are none.</summary>
public sealed record SessionCheck(SessionClaims? Claims, string? Secret, bool IsExpired = false)
{
    public static SessionCheck Invalid { get; } = new(null, null);

    public static SessionCheck Expired { get; } = new(null, null, true);
}
