using System.Text.Json;
using Gantry.Api.Authorization;
using Gantry.Api.Front.Ec2;
using Gantry.Api.Front.Json;
using Gantry.Api.Front.Query;
using Gantry.Domain.Errors;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Api.Front;

/// <summary>
/// <c>POST /</c> (and <c>GET /</c> for awsQuery) for every AWS service, whatever its protocol: the request's media
/// type (or method) picks the codec (<see cref="AwsJsonCodec"/>, <see cref="AwsQueryCodec"/>, or <see cref="Ec2QueryCodec"/>
/// for a form signed for an ec2 service). Authenticates the head
/// first (SigV4 scope for the service the head names, date, signed headers, key) without reading a byte of the body;
/// then reserves the bounded body in the server-wide <see cref="RequestBodyBudget"/> (held until the request is
/// answered: it bounds the memory of bodies and what is decoded from them), reads it, hashing it as it arrives, and
/// checks the signature; only then does the codec bind the operation's typed input, the caller's policies decide
/// (<see cref="RequestAuthorizer"/>), the handler run, and the codec write its output or the AWS error.
/// </summary>
public sealed partial class AwsFrontDoor(
    AwsOperationTable operations,
    IRequestAuthenticator authenticator,
    RequestAuthorizer authorizer,
    RequestBodyBudget budget,
    JsonSerializerOptions jsonOptions,
    TimeProvider time,
    ILogger<AwsFrontDoor> logger)
{
    /// <summary>First buffer for a body sent without Content-Length (chunked); it doubles up to the target's limit.</summary>
    private const int InitialChunkedBytes = 16 * 1024;

    private readonly AwsJsonCodec _json = new(operations, jsonOptions);
    private readonly StoreOutageLog _outages = new(time, logger);
    private readonly AwsQueryCodec? _query = operations.HasQueryServices ? new AwsQueryCodec(operations) : null;
    private readonly Ec2QueryCodec? _ec2 = operations.Operations.Any(o => o.Service.Protocol == AwsProtocol.Ec2) ? new Ec2QueryCodec(operations) : null;

    /// <summary>Answers <c>POST /</c>, and <c>GET /</c> when a service speaks awsQuery (the only protocol that accepts GET).</summary>
    public void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/", HandleAsync);
        if (_query is not null)
        {
            endpoints.MapGet("/", HandleAsync);
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var request = context.Request;
        var codec = CodecOf(request);
        var ct = context.RequestAborted;
        var bodyRead = false;
        AwsOperation? operation = null;
        try
        {
            using var authentication = await authenticator.BeginAsync(request, codec.SigningNameOf(request), ct).ConfigureAwait(false);
            var route = codec.Resolve(request);
            using var reservation = await ReserveAsync(request, route.MaxBodyBytes, ct).ConfigureAwait(false);
            var (body, accessKeyId) = await ReadAuthenticatedBodyAsync(request, route.MaxBodyBytes, authentication, ct).ConfigureAwait(false);
            bodyRead = true;
            using (body)
            {
                (operation, var input) = codec.Decode(request, route, body.Content);
                await authorizer.AuthorizeAsync(operation, input, accessKeyId, new RequestAuthorizer.Origin(context.Connection.RemoteIpAddress, request.IsHttps), ct)
                    .ConfigureAwait(false);
                var output = await operation.InvokeAsync(input, new AwsCallContext(accessKeyId, requestId, request.Host.Value ?? "localhost",
                    request.Headers.TryGetValue("x-amz-security-token", out var token) ? token.ToString() : null), ct).ConfigureAwait(false);
                await codec.WriteResultAsync(context, operation, output, requestId, ct).ConfigureAwait(false);
            }
        }
        catch (AwsException error)
        {
            if (!bodyRead && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                // Refused before its body was read: close rather than drain what may be megabytes from a stranger.
                context.Response.Headers.Connection = "close";
            }
            await WriteErrorAsync(context, codec, error, requestId).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (StoreUnavailableException e)
        {
            // The store is down or restarting (PostgreSQL stopped, failing over): no bug to log a stack for, and an
            // answer every AWS SDK retries.
            _outages.Answered(e);
            await WriteErrorAsync(context, codec, StoreOutageLog.ErrorFor(operation?.Target ?? request.Headers["X-Amz-Target"].ToString()), requestId)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogServerFault(logger, e, operation?.Target ?? request.Headers["X-Amz-Target"].ToString(), requestId);
            await WriteErrorAsync(context, codec, new AwsException("ServerException", $"Internal server error (request {requestId})."), requestId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For a form body or a GET (when a form-encoded service exists): ec2 when the SigV4 scope names an ec2 service, else
    /// awsQuery; AWS JSON for everything else, which refuses what is not JSON.
    /// </summary>
    private IAwsProtocolCodec CodecOf(HttpRequest request) =>
        _query is null || !(HttpMethods.IsGet(request.Method) || AwsQueryCodec.IsForm(request.ContentType)) ? _json
        : _ec2 is not null && AwsQueryCodec.FormServiceOf(operations, request) is { Protocol: AwsProtocol.Ec2 } ? _ec2
        : _query;

    private static async Task WriteErrorAsync(HttpContext context, IAwsProtocolCodec codec, AwsException error, string requestId)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        await codec.WriteErrorAsync(context, error, requestId).ConfigureAwait(false);
    }

    /// <summary>Reserves the body's bytes (the limit when it comes chunked) in the budget, for as long as the request runs.</summary>
    private async Task<IDisposable> ReserveAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var declared = DeclaredLength(request);
        if (declared > limit)
        {
            throw TooLarge(limit);
        }
        return await budget.ReserveAsync(declared ?? limit, ct).ConfigureAwait(false)
            ?? throw new AwsException("ThrottlingException", "Rate exceeded");
    }

    /// <summary>The body's Content-Length; 0 for a GET that cannot have one (neither Content-Length nor chunked encoding).</summary>
    private static long? DeclaredLength(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false
            ? 0
            : request.ContentLength;

    /// <summary>Reads the body, feeding it to <paramref name="authentication"/>, which then names the caller.</summary>
    private async Task<(RequestBodyBuffer Body, string AccessKeyId)> ReadAuthenticatedBodyAsync(HttpRequest request, int limit,
        IBodyAuthentication authentication, CancellationToken ct)
    {
        var declared = DeclaredLength(request);
        var body = await ReadBodyAsync(request, declared, limit, authentication, ct).ConfigureAwait(false);
        try
        {
            return (body, authentication.Complete());
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private async Task<RequestBodyBuffer> ReadBodyAsync(HttpRequest request, long? declared, int limit, IBodyAuthentication authentication, CancellationToken ct)
    {
        var body = new RequestBodyBuffer(declared is { } length ? (int)length : InitialChunkedBytes);
        try
        {
            while (body.Length != declared)
            {
                if (body.IsFull)
                {
                    if (body.Length > limit)
                    {
                        throw TooLarge(limit);
                    }
                    body.Grow((int)Math.Min(2L * body.Length, limit + 1L));
                }
                var free = body.Free;
                var read = await request.Body.ReadAsync(free, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                authentication.Append(free.Span[..read]);
                body.Advance(read);
            }
            return body.Length > limit ? throw TooLarge(limit) : body;
        }
        catch (BadHttpRequestException e)
        {
            LogIncompleteBody(logger, e.Message, body.Length, declared);
            body.Dispose();
            throw Incomplete(e, declared);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>Kestrel's verdict on a body that ended early (client closed) or stopped arriving (minimum data rate): the caller's fault.</summary>
    private static AwsException Incomplete(BadHttpRequestException e, long? declared) => new("SerializationException",
        e.StatusCode == StatusCodes.Status408RequestTimeout
            ? "The request body was not received in time: it arrived too slowly or stopped before its Content-Length."
            : declared is { } length
                ? $"The request body ended before its Content-Length of {length} bytes."
                : $"The request body is malformed: {e.Message}");

    private static AwsException TooLarge(int limit) =>
        new("SerializationException", $"Request body exceeds the limit of {limit} bytes.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Operation {Target} failed (request {RequestId})")]
    private static partial void LogServerFault(ILogger logger, Exception exception, string target, string requestId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request body incomplete after {Received} of {Declared} bytes: {Reason}")]
    private static partial void LogIncompleteBody(ILogger logger, string reason, int received, long? declared);
}
