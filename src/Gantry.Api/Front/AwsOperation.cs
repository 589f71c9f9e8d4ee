namespace Gantry.Api.Front;

/// <summary>Everything an operation handler learns about its caller.</summary>
/// <param name="AccessKeyId">The access key that signed the request.</param>
/// <param name="RequestId">The id echoed in <c>x-amzn-RequestId</c>.</param>
/// <param name="Host">The host:port the caller reached Gantry at (the registry's address in repository URIs).</param>
public sealed record AwsCallContext(string AccessKeyId, string RequestId, string Host);

/// <summary>
/// One AWS JSON operation: reads its input from the raw body and returns the object to serialise
/// (null for an operation without output). Throws <see cref="Domain.Errors.AwsException"/> for AWS errors.
/// </summary>
public delegate ValueTask<object?> AwsOperation(ReadOnlyMemory<byte> body, AwsCallContext context, CancellationToken cancellationToken);
