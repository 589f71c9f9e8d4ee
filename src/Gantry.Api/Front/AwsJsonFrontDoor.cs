using System.Text.Json;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gantry.Api.Front;

/// <summary>
/// <c>POST /</c> for every AWS JSON 1.1 service. Authenticates the head first (SigV4 scope for the target's
/// service, date, signed headers, key) without reading a byte of the body; then reserves the bounded body in the
/// server-wide <see cref="RequestBodyBudget"/> (held until the request is answered: it bounds the memory of bodies
/// and what is decoded from them), reads it, hashing it as it arrives, and checks the signature; only then dispatches on <c>X-Amz-Target</c> and writes either the output or an AWS error body.
/// </summary>
public sealed partial class AwsJsonFrontDoor(
    AwsOperationTable operations,
    IRequestAuthenticator authenticator,
    RequestBodyBudget budget,
    JsonSerializerOptions jsonOptions,
    ILogger<AwsJsonFrontDoor> logger)
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>First buffer for a body sent without Content-Length (chunked); it doubles up to the target's limit.</summary>
    private const int InitialChunkedBytes = 16 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        var ct = context.RequestAborted;
        var bodyRead = false;
        try
        {
            using var authentication = await authenticator.BeginAsync(request, operations.SigningNameOf(target), ct).ConfigureAwait(false);
            var operation = Resolve(request, target);
            var limit = AwsJsonLimits.For(target);
            using var reservation = await ReserveAsync(request, limit, ct).ConfigureAwait(false);
            var (body, accessKeyId) = await ReadAuthenticatedBodyAsync(request, limit, authentication, ct).ConfigureAwait(false);
            bodyRead = true;
            using (body)
            {
                var result = await operation(body.Content, new AwsCallContext(accessKeyId, requestId, request.Host.Value ?? "localhost"), ct).ConfigureAwait(false);
                await WriteResultAsync(context.Response, result, ct).ConfigureAwait(false);
            }
        }
        catch (AwsException error)
        {
            if (!bodyRead && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                // Refused before its body was read: close rather than drain what may be megabytes from a stranger.
                context.Response.Headers.Connection = "close";
            }
            await WriteErrorAsync(context.Response, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogServerFault(logger, e, target, requestId);
            await WriteErrorAsync(context.Response, new AwsException("ServerException", $"Internal server error (request {requestId}).")).ConfigureAwait(false);
        }
    }

    private AwsOperation Resolve(HttpRequest request, string target)
    {
        var mediaType = request.ContentType;
        if (mediaType is null || !(mediaType.StartsWith("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase)
                                   || mediaType.StartsWith("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)))
        {
            throw new AwsException("SerializationException", $"Content-Type must be {ContentType}, got '{mediaType ?? "(none)"}'.");
        }
        if (target.Length == 0)
        {
            throw new AwsException("UnknownOperationException", "Missing X-Amz-Target header.");
        }
        if (!operations.TryGet(target, out var operation))
        {
            throw new AwsException("UnknownOperationException", $"Unknown operation '{target}'.");
        }
        return operation;
    }

    /// <summary>Reserves the body's bytes (the limit when it comes chunked) in the budget, for as long as the request runs.</summary>
    private async Task<IDisposable> ReserveAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(limit);
        }
        return await budget.ReserveAsync(declared ?? limit, ct).ConfigureAwait(false)
            ?? throw new AwsException("ThrottlingException", "Rate exceeded");
    }

    /// <summary>Reads the body, feeding it to <paramref name="authentication"/>, which then names the caller.</summary>
    private async Task<(RequestBodyBuffer Body, string AccessKeyId)> ReadAuthenticatedBodyAsync(HttpRequest request, int limit,
        IBodyAuthentication authentication, CancellationToken ct)
    {
        var declared = request.ContentLength;
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

    private async Task WriteResultAsync(HttpResponse response, object? result, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        if (result is null)
        {
            await response.Body.WriteAsync("{}"u8.ToArray(), ct).ConfigureAwait(false);
            return;
        }
        await JsonSerializer.SerializeAsync(response.Body, result, result.GetType(), jsonOptions, ct).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpResponse response, AwsException error)
    {
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = (int)AwsErrorTable.StatusOf(error.Type);
        response.ContentType = ContentType;
        response.Headers["x-amzn-ErrorType"] = error.Type;
        await JsonSerializer.SerializeAsync(response.Body, new AwsErrorBody(error.Type, error.Message), AwsErrorBodyContext.Default.AwsErrorBody).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Operation {Target} failed (request {RequestId})")]
    private static partial void LogServerFault(ILogger logger, Exception exception, string target, string requestId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request body incomplete after {Received} of {Declared} bytes: {Reason}")]
    private static partial void LogIncompleteBody(ILogger logger, string reason, int received, long? declared);
}
