using System.Buffers;
using System.Text.Json;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Api.Front;

/// <summary>
/// <c>POST /</c> for every AWS JSON 1.1 service: reads the bounded body, authenticates it (SigV4),
/// dispatches on <c>X-Amz-Target</c> and writes either the output or an AWS error body.
/// </summary>
public sealed partial class AwsJsonFrontDoor(
    AwsOperationTable operations,
    IRequestAuthenticator authenticator,
    JsonSerializerOptions jsonOptions,
    ILogger<AwsJsonFrontDoor> logger)
{
    public const string ContentType = "application/x-amz-json-1.1";

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var ct = context.RequestAborted;
        byte[]? rented = null;
        try
        {
            (rented, var length) = await ReadBodyAsync(context.Request, AwsJsonLimits.For(context.Request.Headers["X-Amz-Target"].ToString()), ct).ConfigureAwait(false);
            var body = new ReadOnlyMemory<byte>(rented, 0, length);
            var outcome = await authenticator.AuthenticateAsync(context.Request, body, ct).ConfigureAwait(false);
            if (outcome.Error is { } authError)
            {
                await WriteErrorAsync(context.Response, authError).ConfigureAwait(false);
                return;
            }
            var operation = Resolve(context.Request);
            var result = await operation(body, new AwsCallContext(outcome.AccessKeyId!, requestId, context.Request.Host.Value ?? "localhost"), ct).ConfigureAwait(false);
            await WriteResultAsync(context.Response, result, ct).ConfigureAwait(false);
        }
        catch (AwsException error)
        {
            await WriteErrorAsync(context.Response, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogServerFault(logger, e, context.Request.Headers["X-Amz-Target"].ToString(), requestId);
            await WriteErrorAsync(context.Response, new AwsException("ServerException", $"Internal server error (request {requestId}).")).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private AwsOperation Resolve(HttpRequest request)
    {
        var mediaType = request.ContentType;
        if (mediaType is null || !(mediaType.StartsWith("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase)
                                   || mediaType.StartsWith("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)))
        {
            throw new AwsException("SerializationException", $"Content-Type must be {ContentType}, got '{mediaType ?? "(none)"}'.");
        }
        var target = request.Headers["X-Amz-Target"].ToString();
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

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)(request.ContentLength ?? 4096) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        throw TooLarge(limit);
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > limit)
            {
                throw TooLarge(limit);
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

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
}
