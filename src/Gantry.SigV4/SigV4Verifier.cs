using System.Collections.Concurrent;
using System.Globalization;

namespace Gantry.Auth.SigV4;

/// <summary>
/// Verifies AWS Signature Version 4 (Authorization header form) the way AWS services do, in AWS's order and with
/// their error types and wording: MissingAuthenticationTokenException, IncompleteSignatureException,
/// InvalidSignatureException, UnrecognizedClientException. Verification has two halves so that nothing of the
/// body is read before everything the headers can tell has been checked: <see cref="CheckHeadersAsync"/>, then
/// <see cref="SigV4PendingSignature.Verify"/> with the body's hash. Derived signing keys are cached: they change
/// once a day per key.
/// </summary>
/// <param name="findSecret">The secret of an access key id, null when no such key exists.</param>
/// <param name="findSessionSecret">
/// For a request carrying <c>X-Amz-Security-Token</c> (temporary credentials): the secret of the access key id with
/// that session token, null when they do not belong together; <see cref="SessionSecret.Expired"/> once the session has
/// ended. Without it, no session token is accepted.
/// </param>
/// <param name="region">The region this endpoint serves: credential scopes must name it.</param>
/// <param name="signedWhenPresent">
/// Lowercase headers that must be among the signed ones whenever the request carries them (for AWS JSON:
/// <c>content-type</c> and <c>x-amz-target</c>, which choose how the body is read and which operation runs).
/// <c>host</c> and <c>x-amz-date</c> must always be signed.
/// </param>
public sealed class SigV4Verifier(Func<string, CancellationToken, ValueTask<string?>> findSecret, string region,
    IReadOnlyList<string> signedWhenPresent, TimeProvider time, Func<string, string, CancellationToken, ValueTask<SessionSecret>>? findSessionSecret = null)
{
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    internal static readonly SigV4Failure SignatureMismatch = new("InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    private const int MaxCachedKeys = 4096;
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _signingKeys = new();

    /// <summary>
    /// Checks everything the request's head can tell: the Authorization header's form, the date and its skew, the
    /// signed-header set, the credential scope (date, <c>region</c>, <paramref name="service"/>: the signing name of
    /// the service the request is for, null when it names none) and that the access key exists.
    /// </summary>
    public async ValueTask<SigV4HeaderCheck> CheckHeadersAsync(SigV4Request request, string? service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return SigV4HeaderCheck.Refused("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!SigV4Authorization.TryParse(authorization, out var parsed, out var problem))
        {
            return SigV4HeaderCheck.Refused("IncompleteSignatureException", problem);
        }
        var amzDate = request.Header("x-amz-date");
        if (amzDate is null)
        {
            return SigV4HeaderCheck.Refused("IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + parsed.Algorithm);
        }
        if (UnsignedHeader(request, parsed) is { } unsigned)
        {
            return SigV4HeaderCheck.Refused("InvalidSignatureException", unsigned);
        }
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Canonical.DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return SigV4HeaderCheck.Refused("IncompleteSignatureException",
                $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        if (TimeError(signedAt, amzDate) is { } expired)
        {
            return SigV4HeaderCheck.Refused("InvalidSignatureException", expired);
        }
        if (ScopeError(parsed, service, amzDate) is { } scope)
        {
            return SigV4HeaderCheck.Refused("InvalidSignatureException", scope);
        }
        string? secret;
        if (request.Header("x-amz-security-token") is { } token)
        {
            var session = findSessionSecret is null ? default : await findSessionSecret(parsed.AccessKeyId, token, cancellationToken).ConfigureAwait(false);
            if (session.Expired)
            {
                return SigV4HeaderCheck.Refused("ExpiredTokenException", "The security token included in the request is expired");
            }
            secret = session.Secret;
        }
        else
        {
            secret = await findSecret(parsed.AccessKeyId, cancellationToken).ConfigureAwait(false);
        }
        if (secret is null)
        {
            return SigV4HeaderCheck.Refused("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        // Only S3-style endpoints accept an unsigned body, and Gantry has none: on AWS JSON the body's own hash is
        // always what is signed, so a signature over "UNSIGNED-PAYLOAD" cannot match (AWS answers the same).
        if (request.Header("x-amz-content-sha256") == SigV4Canonical.UnsignedPayload)
        {
            return new SigV4HeaderCheck(null, SignatureMismatch);
        }
        return new SigV4HeaderCheck(new SigV4PendingSignature(request, parsed, amzDate, SigningKey(secret, parsed)), null);
    }

    /// <summary>AWS's wording when a header that must be signed is not: host always, the date, and the configured ones when present.</summary>
    private string? UnsignedHeader(SigV4Request request, SigV4Authorization parsed)
    {
        if (!parsed.SignedHeaders.Contains("host"))
        {
            return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
        }
        var missing = signedWhenPresent.Where(name => request.Header(name) is not null).Prepend("x-amz-date")
            .FirstOrDefault(name => !parsed.SignedHeaders.Contains(name));
        return missing is null ? null : $"'{WireName(missing)}' must be a 'SignedHeader' in the AWS Authorization.";
    }

    /// <summary>x-amz-target → X-Amz-Target.</summary>
    private static string WireName(string lowercase) =>
        string.Join('-', lowercase.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>Every scope mismatch at once, in AWS's order and wording.</summary>
    private string? ScopeError(SigV4Authorization parsed, string? service, string amzDate)
    {
        var problems = new List<string>(3);
        if (parsed.Region != region)
        {
            problems.Add($"Credential should be scoped to a valid region, not '{parsed.Region}'.");
        }
        if (service is not null && parsed.Service != service)
        {
            problems.Add($"Credential should be scoped to correct service: '{service}'.");
        }
        if (parsed.Date != amzDate[..8])
        {
            problems.Add($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{parsed.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }
        return problems.Count == 0 ? null : string.Join(' ', problems);
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

/// <summary>The secret of a temporary credential, or that its session has expired.</summary>
public readonly record struct SessionSecret(string? Secret, bool Expired);
