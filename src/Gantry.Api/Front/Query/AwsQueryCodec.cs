using System.Text;
using Gantry.Auth.SigV4;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front.Query;

/// <summary>
/// awsQuery: <c>Action=Name&amp;Version=...</c> and the input's members as form parameters, in a POST body
/// (<c>application/x-www-form-urlencoded</c>) or a GET query; the service is the one the SigV4 credential scope names
/// (its signing name), the operation its <c>Action</c>. Answers are XML in the service's namespace; errors are
/// <c>&lt;ErrorResponse&gt;</c> with <c>Sender</c> (4xx) or <c>Receiver</c> (5xx).
/// </summary>
public sealed class AwsQueryCodec : IAwsProtocolCodec
{
    public const string FormContentType = "application/x-www-form-urlencoded";
    public const string XmlContentType = "text/xml";

    /// <summary>How deep a request may nest structures, lists and maps within one another; the official models nest far less.</summary>
    public const int MaxNesting = 32;

    private readonly AwsOperationTable _operations;

    /// <summary>Describes every awsQuery operation's input and output once, so that a shape awsQuery cannot carry fails at start-up.</summary>
    public AwsQueryCodec(AwsOperationTable operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations;
        ValidateShapes(operations, AwsProtocol.AwsQuery);
    }

    public static bool IsForm(string? contentType) =>
        contentType is not null && contentType.StartsWith(FormContentType, StringComparison.OrdinalIgnoreCase);

    public string? SigningNameOf(HttpRequest request) => FormServiceOf(_operations, request)?.SigningName;

    public AwsRoute Resolve(HttpRequest request) => RouteOf(_operations, request);

    public (AwsOperation Operation, object Input) Decode(HttpRequest request, AwsRoute route, ReadOnlyMemory<byte> body) =>
        DecodeForm(_operations, request, route, body, ec2: false);

    public Task WriteResultAsync(HttpContext context, AwsOperation operation, object? output, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(operation);
        var xml = QueryXmlWriter.Response(operation.Name, operation.Service.XmlNamespace!, output, requestId);
        return WriteXmlAsync(context.Response, StatusCodes.Status200OK, xml, cancellationToken);
    }

    public Task WriteErrorAsync(HttpContext context, AwsException failure, string requestId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        var service = FormServiceOf(_operations, context.Request);
        var (code, status) = AwsQueryErrors.Of(failure.Type, service);
        var xml = QueryXmlWriter.Error(service?.XmlNamespace, (int)status >= 500 ? "Receiver" : "Sender", code, failure.Message, requestId);
        return WriteXmlAsync(context.Response, (int)status, xml, CancellationToken.None);
    }

    /// <summary>The form-encoded service (awsQuery or ec2) the SigV4 credential scope names (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    internal static AwsService? FormServiceOf(AwsOperationTable operations, HttpRequest request) =>
        SigV4Authorization.TryParse(request.Headers.Authorization.ToString(), out var parsed, out _)
        && operations.TryGetQueryService(parsed.Service, out var service) ? service : null;

    /// <summary>The service the scope names, or SignatureDoesNotMatch.</summary>
    internal static AwsRoute RouteOf(AwsOperationTable operations, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (FormServiceOf(operations, request) is not { } service)
        {
            var scoped = SigV4Authorization.TryParse(request.Headers.Authorization.ToString(), out var parsed, out _) ? parsed.Service : "(none)";
            throw new AwsException("InvalidSignatureException", $"Credential should be scoped to a valid service, not '{scoped}'.");
        }
        return new AwsRoute(service, null, AwsJsonLimits.MaxBodyBytes);
    }

    /// <summary>The operation <c>Action</c> names in the service's <c>Version</c> and its input bound from the form (by the ec2 protocol's names when <paramref name="ec2"/>).</summary>
    internal static (AwsOperation Operation, object Input) DecodeForm(AwsOperationTable operations, HttpRequest request, AwsRoute route,
        ReadOnlyMemory<byte> body, bool ec2)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var form = QueryForm.Parse(HttpMethods.IsGet(request.Method) ? request.QueryString.Value ?? "" : Encoding.UTF8.GetString(body.Span));
        var action = form["Action"];
        if (string.IsNullOrEmpty(action))
        {
            throw new AwsException("MissingAction", "Missing Action");
        }
        var version = form["Version"];
        if (version != route.Service.Version || !operations.TryGet(route.Service, action, out var operation))
        {
            throw new AwsException("InvalidAction", $"Could not find operation {action} for version {(string.IsNullOrEmpty(version) ? "NO_VERSION_SPECIFIED" : version)}");
        }
        return (operation, operation.ReadInput(new QueryInputReader(form, ec2)));
    }

    /// <summary>Describes the input and output of every operation of <paramref name="protocol"/> once: a shape the codec cannot carry fails at start-up.</summary>
    internal static void ValidateShapes(AwsOperationTable operations, AwsProtocol protocol)
    {
        foreach (var operation in operations.Operations.Where(o => o.Service.Protocol == protocol))
        {
            QueryType.Validate(operation.InputType);
            if (operation.OutputType is { } output)
            {
                QueryType.Validate(output);
            }
        }
    }

    internal static async Task WriteXmlAsync(HttpResponse response, int status, byte[] xml, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = XmlContentType;
        response.ContentLength = xml.Length;
        await response.Body.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
    }
}
