using System.Net;

namespace Gantry.Api.Front.Query;

/// <summary>
/// awsQuery's names and statuses for the errors the front door raises in AWS JSON's vocabulary (authentication,
/// throttling, server faults), as IAM, STS, ELBv2 and CloudWatch answer them; a service's own error shapes go out
/// with the code and status its model gives them; every other code passes through with <see cref="AwsErrorTable"/>'s status.
/// </summary>
internal static class AwsQueryErrors
{
    private static readonly Dictionary<string, (string Code, HttpStatusCode Status)> Renamed = new(StringComparer.Ordinal)
    {
        ["MissingAuthenticationTokenException"] = ("MissingAuthenticationToken", HttpStatusCode.Forbidden),
        ["IncompleteSignatureException"] = ("IncompleteSignature", HttpStatusCode.BadRequest),
        ["InvalidSignatureException"] = ("SignatureDoesNotMatch", HttpStatusCode.Forbidden),
        ["UnrecognizedClientException"] = ("InvalidClientTokenId", HttpStatusCode.Forbidden),
        ["ThrottlingException"] = ("Throttling", HttpStatusCode.BadRequest),
        ["ServerException"] = ("InternalFailure", HttpStatusCode.InternalServerError),
        ["AccessDeniedException"] = ("AccessDenied", HttpStatusCode.Forbidden),
        ["ExpiredTokenException"] = ("ExpiredToken", HttpStatusCode.Forbidden),
    };

    public static (string Code, HttpStatusCode Status) Of(string errorType, AwsService? service) =>
        service?.QueryErrors?.GetValueOrDefault(errorType) is { } modelled ? (modelled.Code, (HttpStatusCode)modelled.Status)
        : Renamed.TryGetValue(errorType, out var renamed) ? renamed
        : (errorType, AwsErrorTable.StatusOf(errorType));
}
