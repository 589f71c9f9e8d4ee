using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front;

/// <summary>Decides who sent a request: the access key id on success, or the AWS error to answer with.</summary>
public interface IRequestAuthenticator
{
    ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

public sealed record AuthenticationOutcome(string? AccessKeyId, AwsException? Error)
{
    public static AuthenticationOutcome Success(string accessKeyId) => new(accessKeyId, null);
    public static AuthenticationOutcome Failure(AwsException error) => new(null, error);
}
