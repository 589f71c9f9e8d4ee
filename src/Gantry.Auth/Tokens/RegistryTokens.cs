using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gantry.Auth.Keys;

namespace Gantry.Auth.Tokens;

/// <summary>
/// The registry passwords ECR's GetAuthorizationToken hands out: valid for 12 hours (no longer than the session of
/// temporary credentials), bound to the access key that asked (revoking the key revokes its tokens; an STS key's token
/// carries its session token, checked again on every use), signed with a key derived from the master key so nothing
/// is stored. Format: <c>gantry1.&lt;base64url(keyId|user|expiry[|sessionToken])&gt;.&lt;base64url(HMAC-SHA256)&gt;</c>.
/// </summary>
public sealed class RegistryTokens(MasterKey masterKey, AccessKeyStore keys, Sessions.SessionTokens sessions, TimeProvider time)
{
    public const string User = "AWS";
    public static readonly TimeSpan Validity = TimeSpan.FromHours(12);
    private const string Version = "gantry1";
    private readonly byte[] _signingKey = masterKey.Derive("registry-token");

    public (string Password, DateTimeOffset ExpiresAt) Issue(string accessKeyId, string userName, string? sessionToken = null)
    {
        var expires = time.GetUtcNow().Add(Validity);
        if (sessionToken is not null && sessions.Check(accessKeyId, sessionToken).Claims is { } claims && claims.Expiration < expires)
        {
            expires = claims.Expiration;
        }
        var payload = string.Join('|', [accessKeyId, userName, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), .. sessionToken is null ? [] : new[] { sessionToken }]);
        var body = Base64Url(Encoding.UTF8.GetBytes(payload));
        return ($"{Version}.{body}.{Base64Url(Sign(body))}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The access key id and user name the password was issued to, or null when it is forged, expired or revoked.</summary>
    public async Task<(string AccessKeyId, string UserName)?> ValidateAsync(string user, string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = password.Split('.');
        if (user != User || parts.Length != 3 || parts[0] != Version)
        {
            return null;
        }
        byte[] signature, payload;
        try
        {
            signature = FromBase64Url(parts[2]);
            payload = FromBase64Url(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[1])))
        {
            return null;
        }
        var fields = Encoding.UTF8.GetString(payload).Split('|');
        if (fields.Length is not (3 or 4) || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= time.GetUtcNow())
        {
            return null;
        }
        if (fields.Length == 4)
        {
            return sessions.Check(fields[0], fields[3]).Claims is null ? null : (fields[0], fields[1]);
        }
        return await keys.FindSecretAsync(fields[0], ct).ConfigureAwait(false) is null ? null : (fields[0], fields[1]);
    }

    private byte[] Sign(string body) => HMACSHA256.HashData(_signingKey, Encoding.ASCII.GetBytes(body));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
