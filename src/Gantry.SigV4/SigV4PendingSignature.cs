using System.Security.Cryptography;
using System.Text;

namespace Gantry.Auth.SigV4;

/// <summary>
/// A request whose headers passed every check (scope, date, signed headers, known key): what is left is the
/// signature over the canonical request, which needs the SHA-256 of the body as received.
/// </summary>
public sealed class SigV4PendingSignature
{
    private readonly SigV4Request _request;
    private readonly SigV4Authorization _authorization;
    private readonly string _amzDate;
    private readonly byte[] _signingKey;

    internal SigV4PendingSignature(SigV4Request request, SigV4Authorization authorization, string amzDate, byte[] signingKey)
    {
        _request = request;
        _authorization = authorization;
        _amzDate = amzDate;
        _signingKey = signingKey;
    }

    public string AccessKeyId => _authorization.AccessKeyId;

    /// <summary>Null when the signature matches the request with a body hashing to <paramref name="payloadSha256Hex"/>; else the failure.</summary>
    public SigV4Failure? Verify(string payloadSha256Hex)
    {
        var canonical = SigV4Canonical.CanonicalRequest(_request.Method, _request.RawPath, _request.RawQuery, _authorization.SignedHeaders,
            _request.Header, payloadSha256Hex);
        var expected = SigV4Canonical.Signature(_signingKey, SigV4Canonical.StringToSign(_amzDate, _authorization.Scope, canonical));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(_authorization.Signature))
            ? null
            : SigV4Verifier.SignatureMismatch;
    }
}
