using System.Text.Json;
using Gantry.Domain.Errors;
using Gantry.Domain.Json;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front.Json;

/// <summary>
/// AWS JSON 1.1: <c>X-Amz-Target: prefix.Operation</c> names the operation, the body is JSON bound by System.Text.Json
/// (refusing null list entries and map values), answers are JSON and errors <c>{"__type", "message"}</c>.
/// </summary>
public sealed class AwsJsonCodec(AwsOperationTable operations, JsonSerializerOptions jsonOptions) : IAwsProtocolCodec
{
    public const string ContentType = "application/x-amz-json-1.1";

    private readonly JsonSerializerOptions _requestOptions = NonSparseCollections.Refusing(jsonOptions);

    public string? SigningNameOf(HttpRequest request) => operations.SigningNameOf(TargetOf(request));

    public AwsRoute Resolve(HttpRequest request)
    {
        var mediaType = request.ContentType;
        if (mediaType is null || !(mediaType.StartsWith("application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase)
                                   || mediaType.StartsWith("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)))
        {
            throw new AwsException("SerializationException", $"Content-Type must be {ContentType}, got '{mediaType ?? "(none)"}'.");
        }
        var target = TargetOf(request);
        if (target.Length == 0)
        {
            throw new AwsException("UnknownOperationException", "Missing X-Amz-Target header.");
        }
        if (!operations.TryGet(target, out var operation))
        {
            throw new AwsException("UnknownOperationException", $"Unknown operation '{target}'.");
        }
        return new AwsRoute(operation.Service, operation, AwsJsonLimits.For(target));
    }

    public (AwsOperation Operation, object Input) Decode(HttpRequest request, AwsRoute route, ReadOnlyMemory<byte> body)
    {
        var operation = route.Operation ?? throw new InvalidOperationException("An AWS JSON route names its operation.");
        return (operation, operation.ReadInput(new Reader(body, _requestOptions)));
    }

    public async Task WriteResultAsync(HttpContext context, AwsOperation operation, object? output, string requestId, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        if (output is null)
        {
            await response.Body.WriteAsync("{}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return;
        }
        await JsonSerializer.SerializeAsync(response.Body, output, output.GetType(), jsonOptions, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteErrorAsync(HttpContext context, AwsException failure, string requestId)
    {
        var response = context.Response;
        response.StatusCode = (int)AwsErrorTable.StatusOf(failure.Type);
        response.ContentType = ContentType;
        response.Headers["x-amzn-ErrorType"] = failure.Type;
        await JsonSerializer.SerializeAsync(response.Body, new AwsErrorBody(failure.Type, failure.Message), AwsErrorBodyContext.Default.AwsErrorBody).ConfigureAwait(false);
    }

    private static string TargetOf(HttpRequest request) => request.Headers["X-Amz-Target"].ToString();

    /// <summary>Binds a JSON body; an empty body is <c>{}</c>.</summary>
    private sealed class Reader(ReadOnlyMemory<byte> body, JsonSerializerOptions options) : IAwsInputReader
    {
        public TInput Read<TInput>() where TInput : class, new()
        {
            if (body.IsEmpty)
            {
                return new TInput();
            }
            try
            {
                return JsonSerializer.Deserialize<TInput>(body.Span, options)
                    ?? throw new AwsException("SerializationException", "The request body must be a JSON object, not null.");
            }
            catch (JsonException e)
            {
                throw new AwsException("SerializationException", DescribeJsonError(e));
            }
        }

        private static string DescribeJsonError(JsonException e)
        {
            var path = e.Path is null or "$" ? null : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
            if (e is NullEntryException entry)
            {
                path += entry.Entry;
            }
            var expected = Expected(e.Message);
            return (path, expected) switch
            {
                (null, not null) => $"Malformed JSON request body: the request body must be {expected}.",
                (null, null) => $"Malformed JSON request body: {FirstSentence(e.Message)}",
                (_, not null) => $"Invalid value for member '{path}': expected {expected}.",
                _ => $"Invalid value for member '{path}': {FirstSentence(e.Message)}",
            };
        }

        /// <summary>What a value of the wrong JSON type should have been, in the wire's terms rather than .NET's
        /// ("The JSON value could not be converted to System.Nullable`1[System.Int32]" → "an integer").</summary>
        private static string? Expected(string message)
        {
            const string Prefix = "The JSON value could not be converted to ";
            if (!message.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return null;
            }
            var target = message[Prefix.Length..];
            target = target[..(target.IndexOf(". Path:", StringComparison.Ordinal) is > 0 and var end ? end : target.Length)].TrimEnd('.');
            if (target.StartsWith("System.Nullable`1[", StringComparison.Ordinal))
            {
                target = target["System.Nullable`1[".Length..^1];
            }
            return target switch
            {
                "System.Int32" or "System.Int64" => "an integer",
                "System.Double" or "System.Single" or "System.Decimal" => "a number",
                "System.Boolean" => "a boolean",
                "System.String" => "a string",
                "System.DateTimeOffset" or "System.DateTime" => "a timestamp",
                _ when target.Contains("Dictionary`2", StringComparison.Ordinal) => "a map (a JSON object)",
                _ when target.Contains("List`1", StringComparison.Ordinal) || target.EndsWith("[]", StringComparison.Ordinal) => "a list (a JSON array)",
                _ => "a structure (a JSON object)",
            };
        }

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }
    }
}
