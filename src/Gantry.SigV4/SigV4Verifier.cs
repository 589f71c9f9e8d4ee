using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Auth.SigV4;

/// <summary>
/// Verifies AWS Signature Version 4 (Authorization header form) the way AWS services do, with their error
/// types: MissingAuthenticationTokenException, IncompleteSignatureException, UnrecognizedClientException,
/// InvalidSignatureException. Derived signing keys are cached: they change once a day per key.
/// </summary>
public sealed class SigV4Verifier(Func<string, CancellationToken, ValueTask<string?>> findSecret, TimeProvider time)
{
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    private const int MaxCachedKeys = 4096;
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _signingKeys = new();

    public async ValueTask<SigV4Result> VerifyAsync(SigV4Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return SigV4Result.Failure("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!SigV4Authorization.TryParse(authorization, out var parsed, out var problem))
        {
            return SigV4Result.Failure("IncompleteSignatureException", problem);
        }
        var amzDate = request.Header("x-amz-date");
        if (amzDate is null)
        {
            return SigV4Result.Failure("IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + parsed.Algorithm);
        }
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Canonical.DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return SigV4Result.Failure("IncompleteSignatureException", $"X-Amz-Date '{amzDate}' is not in ISO 8601 basic format (yyyyMMddTHHmmssZ).");
        }
        if (!parsed.SignedHeaders.Contains("host") || !parsed.SignedHeaders.Contains("x-amz-date"))
        {
            return SigV4Result.Failure("IncompleteSignatureException", "The host and x-amz-date headers must be signed (SignedHeaders).");
        }
        if (TimeError(signedAt, amzDate) is { } expired)
        {
            return SigV4Result.Failure("InvalidSignatureException", expired);
        }
        if (parsed.Date != amzDate[..8])
        {
            return SigV4Result.Failure("InvalidSignatureException",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{parsed.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }
        var secret = await findSecret(parsed.AccessKeyId, cancellationToken).ConfigureAwait(false);
        if (secret is null)
        {
            return SigV4Result.Failure("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        var payloadHash = request.Header("x-amz-content-sha256") is { } declared && declared != request.PayloadSha256Hex
            ? declared == SigV4Canonical.UnsignedPayload ? declared : null
            : request.PayloadSha256Hex;
        if (payloadHash is null)
        {
            return SigV4Result.Failure("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        var canonical = SigV4Canonical.CanonicalRequest(request.Method, request.RawPath, request.RawQuery, parsed.SignedHeaders, request.Header, payloadHash);
        var expected = SigV4Canonical.Signature(SigningKey(secret, parsed), SigV4Canonical.StringToSign(amzDate, parsed.Scope, canonical));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parsed.Signature)))
        {
            return SigV4Result.Failure("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return SigV4Result.Success(parsed.AccessKeyId, parsed.Region, parsed.Service);
    }

    private string? TimeError(DateTimeOffset signedAt, string amzDate)
    {
        var now = time.GetUtcNow();
        string Format(DateTimeOffset t) => t.ToString(SigV4Canonical.DateFormat, CultureInfo.InvariantCulture);
        if (signedAt < now - AllowedSkew)
        {
            return $"Signature expired: {amzDate} is now earlier than {Format(now - AllowedSkew)} ({Format(now)} - 15 min.)";
        }
        if (signedAt > now + AllowedSkew)
        {
            return $"Signature not yet current: {amzDate} is still later than {Format(now + AllowedSkew)} ({Format(now)} + 15 min.)";
        }
        return null;
    }

    private byte[] SigningKey(string secret, SigV4Authorization parsed)
    {
        var cacheKey = (secret, parsed.Date, parsed.Region, parsed.Service);
        if (_signingKeys.TryGetValue(cacheKey, out var key))
        {
            return key;
        }
        if (_signingKeys.Count >= MaxCachedKeys)
        {
            _signingKeys.Clear();
        }
        key = SigV4Canonical.SigningKey(secret, parsed.Date, parsed.Region, parsed.Service);
        _signingKeys[cacheKey] = key;
        return key;
    }
}
