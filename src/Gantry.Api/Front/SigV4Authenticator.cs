using Gantry.Auth.SigV4;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front;

/// <summary>Authenticates AWS JSON requests by their SigV4 signature.</summary>
public sealed class SigV4Authenticator(SigV4Verifier verifier) : IRequestAuthenticator
{
    public async ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        var described = new SigV4Request(
            request.Method,
            (request.PathBase + request.Path).ToUriComponent(),
            request.QueryString.Value,
            name => headers.TryGetValue(name, out var values) ? values.ToString() : null,
            SigV4Canonical.Sha256Hex(body.Span));
        var result = await verifier.VerifyAsync(described, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? AuthenticationOutcome.Success(result.AccessKeyId!)
            : AuthenticationOutcome.Failure(new AwsException(result.ErrorType!, result.ErrorMessage!));
    }
}
