using System.Collections.Frozen;
using System.Text.Json;
using Gantry.Domain.Errors;
using Gantry.Domain.Json;

namespace Gantry.Api.Front;

/// <summary>
/// Dispatch table from <c>X-Amz-Target</c> to operation, built once at start-up. Each service declares its target
/// prefix with the SigV4 signing name its model gives (<c>aws.auth#sigv4</c> <c>name</c>): a request for one of
/// its operations must be signed for that service.
/// </summary>
public sealed class AwsOperationTable
{
    private readonly FrozenDictionary<string, AwsOperation> _operations;
    private readonly FrozenDictionary<string, string> _signingNames;

    private AwsOperationTable(FrozenDictionary<string, AwsOperation> operations, FrozenDictionary<string, string> signingNames)
    {
        _operations = operations;
        _signingNames = signingNames;
    }

    public bool TryGet(string target, out AwsOperation operation) => _operations.TryGetValue(target, out operation!);

    /// <summary>The signing name of the service <paramref name="target"/> (<c>prefix.Operation</c>) belongs to; null for an unknown prefix.</summary>
    public string? SigningNameOf(string target)
    {
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        return _signingNames.GetValueOrDefault(dot < 0 ? target : target[..dot]);
    }

    public IEnumerable<string> Targets => _operations.Keys;

    public sealed class Builder(JsonSerializerOptions jsonOptions)
    {
        private readonly Dictionary<string, AwsOperation> _operations = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _signingNames = new(StringComparer.Ordinal);
        private readonly JsonSerializerOptions _requestOptions = NonSparseCollections.Refusing(jsonOptions);

        /// <summary>Declares a service: its operations are <c>servicePrefix.Name</c>, signed for <paramref name="signingName"/>.</summary>
        public Builder Service(string servicePrefix, string signingName)
        {
            _signingNames.Add(servicePrefix, signingName);
            return this;
        }

        /// <summary>Registers <c>prefix.name</c>; the body is bound to <typeparamref name="TRequest"/> (an empty body is <c>{}</c>).</summary>
        public Builder Map<TRequest, TResponse>(string servicePrefix, string name, Func<TRequest, AwsCallContext, CancellationToken, Task<TResponse>> handler)
            where TRequest : class, new()
            where TResponse : class
        {
            _operations.Add(Target(servicePrefix, name), async (body, context, ct) =>
            {
                var request = Bind<TRequest>(body, _requestOptions);
                return await handler(request, context, ct).ConfigureAwait(false);
            });
            return this;
        }

        /// <summary>Registers an operation without output: the answer is an empty body.</summary>
        public Builder Map<TRequest>(string servicePrefix, string name, Func<TRequest, AwsCallContext, CancellationToken, Task> handler)
            where TRequest : class, new()
        {
            _operations.Add(Target(servicePrefix, name), async (body, context, ct) =>
            {
                await handler(Bind<TRequest>(body, _requestOptions), context, ct).ConfigureAwait(false);
                return null;
            });
            return this;
        }

        public AwsOperationTable Build() =>
            new(_operations.ToFrozenDictionary(StringComparer.Ordinal), _signingNames.ToFrozenDictionary(StringComparer.Ordinal));

        private string Target(string servicePrefix, string name) => _signingNames.ContainsKey(servicePrefix)
            ? $"{servicePrefix}.{name}"
            : throw new InvalidOperationException($"Service '{servicePrefix}' has no signing name: declare it with Service(prefix, signingName) before mapping its operations.");
    }

    private static TRequest Bind<TRequest>(ReadOnlyMemory<byte> body, JsonSerializerOptions options) where TRequest : class, new()
    {
        if (body.IsEmpty)
        {
            return new TRequest();
        }
        try
        {
            return JsonSerializer.Deserialize<TRequest>(body.Span, options)
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
        return path is null
            ? $"Malformed JSON request body: {FirstSentence(e.Message)}"
            : $"Invalid value for member '{path}': {FirstSentence(e.Message)}";
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
