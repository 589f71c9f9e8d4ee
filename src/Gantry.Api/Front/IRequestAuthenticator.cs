using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front;

/// <summary>
/// Decides who sent a request, in two halves so that no body byte is read for a request its headers already
/// condemn: <see cref="BeginAsync"/> checks the head, then the body is fed to the returned
/// <see cref="IBodyAuthentication"/> as it arrives. Both halves throw <see cref="Domain.Errors.AwsException"/> to refuse.
/// </summary>
public interface IRequestAuthenticator
{
    /// <param name="signingName">The SigV4 signing name of the service the target belongs to; null when the target names none.</param>
    ValueTask<IBodyAuthentication> BeginAsync(HttpRequest request, string? signingName, CancellationToken cancellationToken);
}

/// <summary>The second half of authentication: sees every body byte, then names the caller or refuses.</summary>
public interface IBodyAuthentication : IDisposable
{
    void Append(ReadOnlySpan<byte> data);

    /// <summary>The access key id that signed the request and its body; throws the AWS error otherwise.</summary>
    string Complete();
}
