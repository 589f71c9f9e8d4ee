using System.Globalization;

namespace Gantry.Auth.SigV4;

/// <summary>Client-side SigV4 signing, as botocore does it: used by tests, benchmarks and `gantry` client verbs.</summary>
public sealed class SigV4Signer(string accessKeyId, string secret, string region, string service, TimeProvider time)
{
    /// <summary>Signs <paramref name="request"/> in place (adds X-Amz-Date and Authorization). Body must be given as bytes.</summary>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var now = time.GetUtcNow();
        var amzDate = now.ToString(SigV4Canonical.DateFormat, CultureInfo.InvariantCulture);
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
        };
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            var lower = name.ToLowerInvariant();
            if (lower is not ("authorization" or "user-agent" or "expect" or "content-length" or "x-amzn-trace-id"))
            {
                headers[lower] = string.Join(',', values);
            }
        }
        var date = amzDate[..8];
        var signed = headers.Keys.ToList();
        var canonical = SigV4Canonical.CanonicalRequest(request.Method.Method, uri.AbsolutePath, uri.Query, signed,
            name => headers.GetValueOrDefault(name), SigV4Canonical.Sha256Hex(body));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signature = SigV4Canonical.Signature(SigV4Canonical.SigningKey(secret, date, region, service),
            SigV4Canonical.StringToSign(amzDate, scope, canonical));
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{SigV4Canonical.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }
}
