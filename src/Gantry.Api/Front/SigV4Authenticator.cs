using System.Security.Cryptography;
using Gantry.Auth.SigV4;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Front;

/// <summary>
/// Authenticates AWS JSON requests by their SigV4 signature: the head first (scope region and service, date,
/// signed headers, known key), then the body's SHA-256, computed incrementally as it is read.
/// </summary>
/// <param name="authenticated">Told the access key id and signing name of every request that passed (e.g. to note keys' last use).</param>
public sealed class SigV4Authenticator(SigV4Verifier verifier, Action<string, string?>? authenticated = null) : IRequestAuthenticator
{
    /// <summary>
    /// The headers that must be signed whenever an AWS JSON request carries them: they choose how the body is
    /// read and which operation runs, so an unsigned one could be swapped on a captured request.
    /// </summary>
    public static readonly IReadOnlyList<string> SignedWhenPresent = ["content-type", "x-amz-target"];

    public async ValueTask<IBodyAuthentication> BeginAsync(HttpRequest request, string? signingName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        var described = new SigV4Request(
            request.Method,
            (request.PathBase + request.Path).ToUriComponent(),
            request.QueryString.Value,
            name => headers.TryGetValue(name, out var values) ? values.ToString() : null);
        var check = await verifier.CheckHeadersAsync(described, signingName, cancellationToken).ConfigureAwait(false);
        return check.Pending is { } pending ? new BodySignature(pending, signingName, authenticated) : throw Refusal(check.Failure!);
    }

    private static AwsException Refusal(SigV4Failure failure) => new(failure.ErrorType, failure.Message);

    private sealed class BodySignature(SigV4PendingSignature pending, string? signingName, Action<string, string?>? authenticated) : IBodyAuthentication
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public string Complete()
        {
            Span<byte> digest = stackalloc byte[32];
            _hash.GetHashAndReset(digest);
            if (pending.Verify(SigV4Canonical.Hex(digest)) is { } failure)
            {
                throw Refusal(failure);
            }
            authenticated?.Invoke(pending.AccessKeyId, signingName);
            return pending.AccessKeyId;
        }

        public void Dispose() => _hash.Dispose();
    }
}
