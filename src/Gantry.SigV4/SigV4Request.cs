namespace Gantry.Auth.SigV4;

/// <summary>What SigV4 verification needs of an HTTP request's head, independent of the web framework; the body comes later.</summary>
/// <param name="RawPath">The path as sent on the wire (still percent-encoded).</param>
/// <param name="RawQuery">The query string as sent, with or without the leading '?'.</param>
/// <param name="Header">Header value by lowercase name; several values comma-joined; null when absent.</param>
public sealed record SigV4Request(string Method, string RawPath, string? RawQuery, Func<string, string?> Header);

/// <summary>Why a request was refused: the AWS error type and message to answer with.</summary>
public sealed record SigV4Failure(string ErrorType, string Message);

/// <summary>
/// The outcome of checking a request's head: either everything the headers can tell held (the signature now
/// waits for the body's hash) or the failure.
/// </summary>
public sealed record SigV4HeaderCheck(SigV4PendingSignature? Pending, SigV4Failure? Failure)
{
    public static SigV4HeaderCheck Refused(string errorType, string message) => new(null, new SigV4Failure(errorType, message));
}
