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
        foreach (var operation in operations.Operations.Where(o => o.Service.Protocol == AwsProtocol.AwsQuery))
        {
            QueryType.Validate(operation.InputType);
            if (operation.OutputType is { } output)
            {
                QueryType.Validate(output);
            }
        }
    }

    public static bool IsForm(string? contentType) =>
        contentType is not null && contentType.StartsWith(FormContentType, StringComparison.OrdinalIgnoreCase);

    public string? SigningNameOf(HttpRequest request) =>
        ScopeServiceOf(request) is { } scoped && _operations.TryGetQueryService(scoped, out _) ? scoped : null;

    public AwsRoute Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scoped = ScopeServiceOf(request);
        if (scoped is null || !_operations.TryGetQueryService(scoped, out var service))
        {
            throw new AwsException("InvalidSignatureException", $"Credential should be scoped to a valid service, not '{scoped ?? "(none)"}'.");
        }
        return new AwsRoute(service, null, AwsJsonLimits.MaxBodyBytes);
    }

    public (AwsOperation Operation, object Input) Decode(HttpRequest request, AwsRoute route, ReadOnlyMemory<byte> body)
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
        if (version != route.Service.Version || !_operations.TryGet(route.Service, action, out var operation))
        {
            throw new AwsException("InvalidAction", $"Could not find operation {action} for version {(string.IsNullOrEmpty(version) ? "NO_VERSION_SPECIFIED" : version)}");
        }
        return (operation, operation.ReadInput(new QueryInputReader(form)));
    }

    public async Task WriteResultAsync(HttpContext context, AwsOperation operation, object? output, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(operation);
        var xml = QueryXmlWriter.Response(operation.Name, operation.Service.XmlNamespace!, output, requestId);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = XmlContentType;
        context.Response.ContentLength = xml.Length;
        await context.Response.Body.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteErrorAsync(HttpContext context, AwsException failure, string requestId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        var service = ScopeServiceOf(context.Request) is { } scoped && _operations.TryGetQueryService(scoped, out var known) ? known : null;
        var (code, status) = AwsQueryErrors.Of(failure.Type, service);
        var xml = QueryXmlWriter.Error(service?.XmlNamespace, (int)status >= 500 ? "Receiver" : "Sender", code, failure.Message, requestId);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = XmlContentType;
        context.Response.ContentLength = xml.Length;
        await context.Response.Body.WriteAsync(xml).ConfigureAwait(false);
    }

    /// <summary>The service named by the SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    private static string? ScopeServiceOf(HttpRequest request) =>
        SigV4Authorization.TryParse(request.Headers.Authorization.ToString(), out var parsed, out _) ? parsed.Service : null;
}
