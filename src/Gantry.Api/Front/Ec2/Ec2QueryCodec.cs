using System.Net;
using Gantry.Api.Front.Query;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front.Ec2;

/// <summary>
/// EC2's query protocol (<c>ec2</c>): routed, authenticated and bound like awsQuery (a form of <c>Action=Name&amp;Version=...</c>
/// signed for the service's signing name), but members are keyed by their request names (<c>QueryName</c>) and every list is
/// <c>Name.N</c>. Answers are <c>&lt;XResponse xmlns&gt;&lt;requestId&gt;</c> followed by the output's members under their
/// locationNames, lists as <c>&lt;fooSet&gt;&lt;item&gt;</c>; errors are EC2's <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>.
/// </summary>
public sealed class Ec2QueryCodec : IAwsProtocolCodec
{
    private readonly AwsOperationTable _operations;

    /// <summary>Describes every ec2 operation's input and output once, so that a shape the codec cannot carry fails at start-up.</summary>
    public Ec2QueryCodec(AwsOperationTable operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations;
        AwsQueryCodec.ValidateShapes(operations, AwsProtocol.Ec2);
    }

    public string? SigningNameOf(HttpRequest request) => AwsQueryCodec.FormServiceOf(_operations, request)?.SigningName;

    public AwsRoute Resolve(HttpRequest request) => AwsQueryCodec.RouteOf(_operations, request);

    /// <summary>
    /// The form as the operation's input. A request with <c>DryRun</c> true goes no further: EC2 answers DryRunOperation
    /// (412) when the caller could have made it (every signed caller can, until IAM policies exist).
    /// </summary>
    public (AwsOperation Operation, object Input) Decode(HttpRequest request, AwsRoute route, ReadOnlyMemory<byte> body)
    {
        var decoded = AwsQueryCodec.DecodeForm(_operations, request, route, body, ec2: true);
        if (DryRuns.GetOrAdd(decoded.Input.GetType(), t => t.GetProperty("DryRun"))?.GetValue(decoded.Input) is true)
        {
            throw new AwsException("DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
        return decoded;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo?> DryRuns = new();

    public Task WriteResultAsync(HttpContext context, AwsOperation operation, object? output, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(operation);
        var xml = Ec2XmlWriter.Response(operation.Name, operation.Service.XmlNamespace!, output, requestId);
        return AwsQueryCodec.WriteXmlAsync(context.Response, StatusCodes.Status200OK, xml, cancellationToken);
    }

    public Task WriteErrorAsync(HttpContext context, AwsException failure, string requestId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        var (code, status) = Ec2ErrorCodes.Of(failure.Type);
        // EC2 words a denial as its own sentence followed by IAM's.
        var message = code == Ec2ErrorCodes.Unauthorized ? $"You are not authorized to perform this operation. {failure.Message}" : failure.Message;
        return AwsQueryCodec.WriteXmlAsync(context.Response, (int)status, Ec2XmlWriter.Error(code, message, requestId), CancellationToken.None);
    }
}

/// <summary>
/// EC2's codes for the errors the front door raises in AWS JSON's vocabulary (authentication as awsQuery words it, EC2's
/// own names for throttling, server faults and unbindable values); a handler's own codes (<c>InvalidGroup.NotFound</c>) pass
/// through with <see cref="AwsErrorTable"/>'s status.
/// </summary>
internal static class Ec2ErrorCodes
{
    public const string Unauthorized = "UnauthorizedOperation";

    private static readonly Dictionary<string, (string Code, HttpStatusCode Status)> Renamed = new(StringComparer.Ordinal)
    {
        ["ThrottlingException"] = ("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable),
        ["ServerException"] = ("InternalError", HttpStatusCode.InternalServerError),
        ["ValidationError"] = ("InvalidParameterValue", HttpStatusCode.BadRequest),
        ["SerializationException"] = ("InvalidParameterValue", HttpStatusCode.BadRequest),
        ["DryRunOperation"] = ("DryRunOperation", HttpStatusCode.PreconditionFailed),
        ["AccessDeniedException"] = (Unauthorized, HttpStatusCode.Forbidden),
    };

    public static (string Code, HttpStatusCode Status) Of(string errorType) =>
        Renamed.TryGetValue(errorType, out var renamed) ? renamed : AwsQueryErrors.Of(errorType, null);
}
