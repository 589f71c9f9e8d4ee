using System.Net;

namespace Gantry.Api.Front;

/// <summary>
/// The one place that maps an AWS error type to its HTTP status. AWS JSON 1.1 client errors are 400
/// unless the model gives the shape an httpError trait; server faults are 500. The
/// authentication errors (MissingAuthenticationToken, UnrecognizedClient, InvalidSignature,
/// IncompleteSignature) are 400 on AWS JSON services too.
/// </summary>
public static class AwsErrorTable
{
    private static readonly Dictionary<string, HttpStatusCode> Explicit = new(StringComparer.Ordinal)
    {
        ["ServerException"] = HttpStatusCode.InternalServerError,
        ["ServiceUnavailableException"] = HttpStatusCode.InternalServerError,
        ["InternalFailure"] = HttpStatusCode.InternalServerError,
    };

    public static HttpStatusCode StatusOf(string errorType) =>
        Explicit.TryGetValue(errorType, out var status) ? status : HttpStatusCode.BadRequest;
}
