using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Auth.SigV4;

/// <summary>The pieces of AWS Signature Version 4 that the signer and the verifier share.</summary>
public static class SigV4Canonical
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return Hex(hash);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Signature(byte[] signingKey, string stringToSign)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign), mac);
        return Hex(mac);
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>
    /// The canonical request. <paramref name="signedHeaders"/> are lowercase and sorted; <paramref name="header"/>
    /// returns the (possibly comma-joined) value of a header by lowercase name.
    /// </summary>
    public static string CanonicalRequest(string method, string rawPath, string? rawQuery, IReadOnlyList<string> signedHeaders,
        Func<string, string?> header, string payloadHash)
    {
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            AppendTrimmed(builder, header(name) ?? "");
            builder.Append('\n');
        }
        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>Non-S3 services: the path as sent (already encoded) is encoded once more, '/' kept.</summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }
        return rawPath == "/" ? rawPath : Encode(rawPath, keepSlash: true);
    }

    public static string CanonicalQuery(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery) || rawQuery == "?")
        {
            return "";
        }
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
            pairs.Add((Encode(key, keepSlash: false), Encode(value, keepSlash: false)));
        }
        pairs.Sort((a, b) => a.Key == b.Key ? string.CompareOrdinal(a.Value, b.Value) : string.CompareOrdinal(a.Key, b.Key));
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, everything else %XX (uppercase).</summary>
    public static string Encode(string value, bool keepSlash)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private static void AppendTrimmed(StringBuilder builder, string value)
    {
        var span = value.AsSpan().Trim();
        var lastWasSpace = false;
        foreach (var c in span)
        {
            if (c == ' ')
            {
                if (!lastWasSpace)
                {
                    builder.Append(c);
                }
                lastWasSpace = true;
            }
            else
            {
                builder.Append(c);
                lastWasSpace = false;
            }
        }
    }
}
