namespace Gantry.Api.Front;

/// <summary>Everything an operation handler learns about its caller.</summary>
/// <param name="AccessKeyId">The access key that signed the request.</param>
/// <param name="RequestId">The id echoed in <c>x-amzn-RequestId</c>.</param>
/// <param name="Host">The host:port the caller reached Gantry at (the registry's address in repository URIs).</param>
/// <param name="SessionToken">The STS session token the request was signed with (temporary credentials), if any.</param>
public sealed record AwsCallContext(string AccessKeyId, string RequestId, string Host, string? SessionToken = null);

/// <summary>
/// Reads an operation's typed input from a request in the codec's wire format. Throws
/// <see cref="Domain.Errors.AwsException"/> (in the protocol's wording) when the request cannot be bound.
/// </summary>
public interface IAwsInputReader
{
    TInput Read<TInput>() where TInput : class, new();
}

/// <summary>
/// One operation of a service: a typed handler that never sees the wire. The codec reads its input with
/// <see cref="ReadInput"/>, <see cref="InvokeAsync"/> runs the handler, and the codec writes what it returns (null
/// for an operation without output). Handlers throw <see cref="Domain.Errors.AwsException"/> for AWS errors.
/// </summary>
public sealed class AwsOperation(AwsService service, string name, Type inputType, Type? outputType,
    Func<IAwsInputReader, object> readInput, Func<object, AwsCallContext, CancellationToken, Task<object?>> invoke)
{
    public AwsService Service => service;

    public string Name => name;

    /// <summary><c>prefix.Name</c>: the JSON target, and the operation's name in logs.</summary>
    public string Target { get; } = $"{service.Name}.{name}";

    /// <summary>The IAM action that permits the operation: <c>signingName:Name</c> (e.g. <c>ecs:RunTask</c>).</summary>
    public string Action { get; } = $"{service.SigningName}:{name}";

    public Type InputType => inputType;

    /// <summary>The output record's type; null for an operation without output.</summary>
    public Type? OutputType => outputType;

    public object ReadInput(IAwsInputReader reader) => readInput(reader);

    public Task<object?> InvokeAsync(object input, AwsCallContext context, CancellationToken cancellationToken) =>
        invoke(input, context, cancellationToken);
}
