using System.Security.Cryptography;
using System.Text;

namespace Gantry.ControlPlane.Nodes;

/// <summary>
/// The two secrets of node identity and their wire forms, in one place:
/// a join token <c>gntj_&lt;token id&gt;.&lt;secret&gt;</c> (issued by an operator, traded once per node for credentials)
/// and node credentials <c>&lt;node id&gt;.&lt;secret&gt;</c>, sent as <c>authorization: GantryNode &lt;node id&gt;.&lt;secret&gt;</c>.
/// Secrets are 256 random bits (base64url); only their SHA-256 is stored, compared in constant time. Neither form
/// can be mistaken for a registry token (<c>gantry1.…</c>, sent as <c>Bearer</c>) or an access key (<c>AKIA…</c>).
/// </summary>
public static class NodeSecrets
{
    public const string JoinTokenPrefix = "gntj_";
    public const string NodeIdPrefix = "node-";
    public const string AuthorizationScheme = "GantryNode";

    /// <summary>A new random id: <paramref name="prefix"/> and 12 hex digits (48 bits), public like an access key id.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A new secret: 256 random bits, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    public static string JoinToken(string tokenId, string secret) => $"{JoinTokenPrefix}{tokenId}.{secret}";

    /// <summary>Splits <c>gntj_&lt;id&gt;.&lt;secret&gt;</c>; null when it is not one.</summary>
    public static (string TokenId, string Secret)? ParseJoinToken(string? token) =>
        token is not null && token.StartsWith(JoinTokenPrefix, StringComparison.Ordinal) ? Split(token[JoinTokenPrefix.Length..]) : null;

    public static string Authorization(string nodeId, string secret) => $"{AuthorizationScheme} {nodeId}.{secret}";

    /// <summary>Splits <c>GantryNode &lt;node id&gt;.&lt;secret&gt;</c>; null for any other header (a <c>Bearer</c> registry token included).</summary>
    public static (string NodeId, string Secret)? ParseAuthorization(string? header) =>
        header is not null && header.StartsWith(AuthorizationScheme + " ", StringComparison.Ordinal)
            && Split(header[(AuthorizationScheme.Length + 1)..]) is { } parts && parts.Id.StartsWith(NodeIdPrefix, StringComparison.Ordinal)
            ? parts
            : null;

    private static (string Id, string Secret)? Split(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < text.Length - 1 && text.Length <= 256 ? (text[..dot], text[(dot + 1)..]) : null;
    }
}
