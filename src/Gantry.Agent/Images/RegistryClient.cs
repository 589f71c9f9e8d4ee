using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Oci;

namespace Gantry.Agent.Images;

/// <summary>
/// Reads images from an OCI distribution registry: manifests (OCI manifest and index, Docker v2 manifest and list)
/// and blobs, streamed. Loopback registries and the configured insecure ones are spoken to over http, others over https.
/// A <see cref="RegistryLogin"/> goes as Basic auth on every request; a 401 with a Bearer challenge runs the token flow
/// (realm + service + scope, with the Basic credentials if any) and the request is retried with the token.
/// Failures are <see cref="ImagePullException"/>s worded like ECS's CannotPullContainerError.
/// </summary>
public sealed class RegistryClient
{
    /// <summary>The largest manifest or index accepted (containerd's limit).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>The largest blob <see cref="GetBlobAsync"/> reads into memory (an image config).</summary>
    public const int MaxInMemoryBlobBytes = 16 * 1024 * 1024;

    private const int ManifestAttempts = 2;
    private const string DockerHub = "docker.io";
    private const string DockerHubHost = "registry-1.docker.io";

    private static readonly MediaTypeWithQualityHeaderValue[] ManifestAccept = [.. MediaTypes.Manifests.Select(m => new MediaTypeWithQualityHeaderValue(m))];

    private readonly HttpClient _http;
    private readonly HashSet<string> _insecureRegistries;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <param name="http">The client every request goes through (its handler decides proxies, TLS and redirects).</param>
    /// <param name="insecureRegistries">Registries (<c>host</c> or <c>host:port</c>) spoken to over plain http besides loopback ones.</param>
    public RegistryClient(HttpClient http, IEnumerable<string>? insecureRegistries = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _insecureRegistries = new HashSet<string>(insecureRegistries ?? [], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The base address requests to <paramref name="registry"/> go to: <c>http://</c> for loopback and insecure registries, else <c>https://</c>.</summary>
    public Uri BaseAddressOf(string registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        var host = string.Equals(registry, DockerHub, StringComparison.OrdinalIgnoreCase) || string.Equals(registry, "index.docker.io", StringComparison.OrdinalIgnoreCase)
            ? DockerHubHost
            : registry;
        return new Uri($"{(IsPlainHttp(registry) ? "http" : "https")}://{host}/");
    }

    /// <summary>Gets the manifest or index <paramref name="reference"/> (a tag or digest) of <paramref name="image"/>'s repository.</summary>
    /// <exception cref="ImagePullException">Not found, refused, malformed, or its content does not match the digest asked for.</exception>
    public async Task<RegistryManifest> GetManifestAsync(ImageReference image, string reference, RegistryLogin? login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var uri = Resolve(image, $"manifests/{reference}");
        for (var attempt = 1; ; attempt++)
        {
            var retry = attempt < ManifestAttempts;
            try
            {
                var (response, authError) = await SendAsync(image, uri, ManifestAccept, login, cancellationToken).ConfigureAwait(false);
                using (response)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        return await ReadManifestAsync(image, reference, response, attempt, cancellationToken).ConfigureAwait(false);
                    }
                    if (IsTransient(response.StatusCode) && retry)
                    {
                        continue;
                    }
                    var detail = await DescribeFailureAsync(uri, response, authError, cancellationToken).ConfigureAwait(false);
                    throw ManifestFailure(image, attempt, detail);
                }
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (!retry)
                {
                    throw new ImagePullException(ManifestMessage(image, attempt, $"failed to do request: {e.Message}"), e);
                }
            }
        }
    }

    /// <summary>Reads a small blob (an image config) into memory, verifying its size and digest against <paramref name="descriptor"/>.</summary>
    /// <exception cref="ImagePullException">Not found, refused, too large, or not the content the descriptor names.</exception>
    public async Task<byte[]> GetBlobAsync(ImageReference image, Descriptor descriptor, RegistryLogin? login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > MaxInMemoryBlobBytes)
        {
            throw new ImagePullException($"failed to copy: blob {descriptor.Digest} of {Display(image)} is {descriptor.Size} bytes, more than {MaxInMemoryBlobBytes}");
        }
        var body = await OpenBlobAsync(image, descriptor.Digest, login, cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var content = await ReadBoundedAsync(body, descriptor.Size, cancellationToken).ConfigureAwait(false)
                ?? throw new ImagePullException($"failed to copy: blob {descriptor.Digest} of {Display(image)}: size mismatch: more than the {descriptor.Size} bytes its descriptor says");
            if (content.Length != descriptor.Size)
            {
                throw new ImagePullException($"failed to copy: blob {descriptor.Digest} of {Display(image)}: size mismatch: got {content.Length} bytes, expected {descriptor.Size}");
            }
            var actual = DigestOf(content, descriptor.Digest);
            if (actual != descriptor.Digest)
            {
                throw new ImagePullException($"failed to copy: blob {descriptor.Digest} of {Display(image)}: digest mismatch: got {actual}");
            }
            return content;
        }
    }

    /// <summary>
    /// Opens the blob <paramref name="digest"/> of <paramref name="image"/>'s repository as a forward-only stream (following redirects).
    /// The content is not verified here; the caller hashes what it reads.
    /// </summary>
    /// <exception cref="ImagePullException">Not found or refused.</exception>
    public async Task<Stream> OpenBlobAsync(ImageReference image, string digest, RegistryLogin? login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        var uri = Resolve(image, $"blobs/{digest}");
        HttpResponseMessage response;
        string? authError;
        try
        {
            (response, authError) = await SendAsync(image, uri, null, login, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImagePullException($"failed to copy: httpReadSeeker: failed open: failed to do request: {e.Message}", e);
        }
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                var detail = response.StatusCode == HttpStatusCode.NotFound
                    ? $"content at {uri} not found: not found"
                    : await DescribeFailureAsync(uri, response, authError, cancellationToken).ConfigureAwait(false);
                throw new ImagePullException($"failed to copy: httpReadSeeker: failed open: {detail}");
            }
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>How a reference shows in pull errors: <c>registry/repository:tag</c> (tag defaulting to latest), or with <c>@digest</c> when pinned.</summary>
    public static string Display(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Digest is null ? $"{image.Registry}/{image.Repository}:{image.Tag ?? "latest"}" : image.ToString();
    }

    private static async Task<RegistryManifest> ReadManifestAsync(ImageReference image, string reference, HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var content = await ReadBoundedAsync(body, MaxManifestBytes, cancellationToken).ConfigureAwait(false)
                ?? throw ManifestFailure(image, attempt, $"manifest is larger than {MaxManifestBytes} bytes");
            var pinned = Digest.TryParse(reference, out _);
            var digest = DigestOf(content, pinned ? reference : Digest.Sha256);
            if (pinned && digest != reference)
            {
                throw ManifestFailure(image, attempt, $"digest mismatch: the registry sent content with digest {digest}");
            }
            try
            {
                var manifest = ManifestReader.Read(content, response.Content.Headers.ContentType?.MediaType);
                return new RegistryManifest(digest, content, manifest);
            }
            catch (InvalidManifestException e)
            {
                throw new ImagePullException(ManifestMessage(image, attempt, $"invalid manifest {digest}: {e.Message}"), e);
            }
        }
    }

    private async Task<(HttpResponseMessage Response, string? AuthError)> SendAsync(
        ImageReference image, Uri uri, MediaTypeWithQualityHeaderValue[]? accept, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var key = $"{image.Registry}/{image.Repository}";
        _tokens.TryGetValue(key, out var token);
        var response = await SendOnceAsync(uri, accept, login, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || BearerChallenge.Find(response.Headers.WwwAuthenticate) is not { } challenge)
        {
            return (response, null);
        }
        try
        {
            var (fresh, error) = await FetchTokenAsync(challenge, $"repository:{RepositoryPath(image)}:pull", login, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return (response, error);
            }
            response.Dispose();
            _tokens[key] = fresh;
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return (await SendOnceAsync(uri, accept, login, _tokens[key], cancellationToken).ConfigureAwait(false), null);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, MediaTypeWithQualityHeaderValue[]? accept, RegistryLogin? login, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var type in accept ?? [])
        {
            request.Headers.Accept.Add(type);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (login is not null)
        {
            request.Headers.Authorization = Basic(login);
        }
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string? Token, string? Error)> FetchTokenAsync(BearerChallenge challenge, string defaultScope, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var uri = challenge.TokenUri(defaultScope);
        var kind = login is null ? "anonymous token" : "oauth token";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (login is not null)
        {
            request.Headers.Authorization = Basic(login);
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (null, $"failed to authorize: failed to fetch {kind}: unexpected status from GET request to {uri}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var name in (string[])["token", "access_token"])
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                    && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString()))
                {
                    return (value.GetString(), null);
                }
            }
        }
        catch (JsonException)
        {
        }
        return (null, $"failed to authorize: failed to fetch {kind}: {uri} answered without a token");
    }

    private static async Task<string> DescribeFailureAsync(Uri uri, HttpResponseMessage response, string? authError, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.NotFound)
        {
            return "not found";
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var server = RegistryErrorBody.Describe(body, maxRawLength: 256);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return "pull access denied, repository does not exist or may require authorization: "
                + (authError ?? string.Create(CultureInfo.InvariantCulture, $"server message: {server}"));
        }
        return string.Create(CultureInfo.InvariantCulture, $"unexpected status from GET request to {uri}: {(int)status} {response.ReasonPhrase}: {server}");
    }

    private static ImagePullException ManifestFailure(ImageReference image, int attempts, string detail) => new(ManifestMessage(image, attempts, detail));

    private static string ManifestMessage(ImageReference image, int attempts, string detail) =>
        string.Create(CultureInfo.InvariantCulture, $"pull image manifest has been retried {attempts} time(s): failed to resolve ref {Display(image)}: {detail}");

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Reads all of <paramref name="body"/> when it is at most <paramref name="limit"/> bytes; null when it is longer.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The digest of <paramref name="content"/> in the algorithm of <paramref name="digestOrAlgorithm"/>.</summary>
    private static string DigestOf(byte[] content, string digestOrAlgorithm)
    {
        var algorithm = digestOrAlgorithm.Split(':')[0];
        var hash = algorithm == Digest.Sha512 ? SHA512.HashData(content) : SHA256.HashData(content);
        return $"{(algorithm == Digest.Sha512 ? Digest.Sha512 : Digest.Sha256)}:{Convert.ToHexStringLower(hash)}";
    }

    private Uri Resolve(ImageReference image, string relative) => new(BaseAddressOf(image.Registry), $"v2/{RepositoryPath(image)}/{relative}");

    /// <summary>The repository as the registry names it: Docker Hub's official images live under <c>library/</c>.</summary>
    private static string RepositoryPath(ImageReference image) =>
        string.Equals(image.Registry, DockerHub, StringComparison.OrdinalIgnoreCase) && !image.Repository.Contains('/', StringComparison.Ordinal)
            ? "library/" + image.Repository
            : image.Repository;

    private bool IsPlainHttp(string registry)
    {
        if (_insecureRegistries.Contains(registry))
        {
            return true;
        }
        if (!Uri.TryCreate("http://" + registry, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (_insecureRegistries.Contains(uri.Host) || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static AuthenticationHeaderValue Basic(RegistryLogin login) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")));
}
