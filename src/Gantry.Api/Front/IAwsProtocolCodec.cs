using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front;

/// <summary>
/// One AWS wire protocol. <see cref="AwsFrontDoor"/> calls it in this order: <see cref="SigningNameOf"/> (what the head
/// must be signed for) before authenticating the head, <see cref="Resolve"/> once the head passed, <see cref="Decode"/>
/// once the body is read and its signature checked, then <see cref="WriteResultAsync"/> or <see cref="WriteErrorAsync"/>.
/// Refusals are <see cref="AwsException"/>s, in the protocol's wording.
/// </summary>
public interface IAwsProtocolCodec
{
    /// <summary>The signing name of the service the request's head names; null when it names none.</summary>
    string? SigningNameOf(HttpRequest request);

    /// <summary>Checks what the head says beyond its signature (media type, operation or service) and bounds the body.</summary>
    AwsRoute Resolve(HttpRequest request);

    /// <summary>The operation and its bound input, from the head and the authenticated body.</summary>
    (AwsOperation Operation, object Input) Decode(HttpRequest request, AwsRoute route, ReadOnlyMemory<byte> body);

    Task WriteResultAsync(HttpContext context, AwsOperation operation, object? output, string requestId, CancellationToken cancellationToken);

    Task WriteErrorAsync(HttpContext context, AwsException failure, string requestId);
}

/// <summary>What the head resolved to: the operation when the head names it (AWS JSON), else the service (awsQuery names its operation in the body).</summary>
/// <param name="MaxBodyBytes">The largest body this request may send.</param>
public sealed record AwsRoute(AwsService Service, AwsOperation? Operation, int MaxBodyBytes);
