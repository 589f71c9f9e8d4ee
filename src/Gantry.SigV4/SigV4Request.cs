namespace Gantry.Auth.SigV4;

/// <summary>What SigV4 verification needs of an HTTP request, independent of the web framework.</summary>
/// <param name="RawPath">The path as sent on the wire (still percent-encoded).</param>
/// <param name="RawQuery">The query string as sent, with or without the leading '?'.</param>
/// <param name="Header">Header value by lowercase name; several values comma-joined; null when absent.</param>
/// <param name="PayloadSha256Hex">Lowercase hex SHA-256 of the body as received.</param>
public sealed record SigV4Request(string Method, string RawPath, string? RawQuery, Func<string, string?> Header, string PayloadSha256Hex);

/// <summary>The outcome of verification: the caller's key and scope, or the AWS error to answer with.</summary>
public sealed record SigV4Result(string? AccessKeyId, string? Region, string? Service, string? ErrorType, string? ErrorMessage)
{
    public bool Succeeded => ErrorType is null;

    public static SigV4Result Success(string accessKeyId, string region, string service) => new(accessKeyId, region, service, null, null);

    public static SigV4Result Failure(string errorType, string message) => new(null, null, null, errorType, message);
}
