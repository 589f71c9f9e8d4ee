using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Gantry.Oci.Build;

namespace Gantry.Oci.Push;

/// <summary>
/// Pushes a <see cref="BuiltImage"/> to an OCI Distribution v1.1 registry: each blob the registry lacks goes up as a
/// chunked upload (POST, PATCH per chunk following Location, PUT ?digest=), then the manifest is PUT under the tag.
/// </summary>
public sealed partial class RegistryPusher
{
    /// <summary>The default upload chunk size: 8 MiB.</summary>
    public const int DefaultChunkSize = 8 * 1024 * 1024;

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly Uri _registry;
    private readonly RegistryCredentials? _credentials;
    private readonly int _chunkSize;

    /// <param name="http">The client every request goes through.</param>
    /// <param name="registry">The registry's base address, e.g. <c>http://localhost:5000/</c>.</param>
    /// <param name="credentials">Sent as Basic auth on every request; none when null.</param>
    /// <param name="chunkSize">Bytes per PATCH.</param>
    public RegistryPusher(HttpClient http, Uri registry, RegistryCredentials? credentials, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        if (!registry.IsAbsoluteUri)
        {
            throw new ArgumentException($"registry address '{registry}' must be absolute", nameof(registry));
        }
        _http = http;
        _registry = registry;
        _credentials = credentials;
        _chunkSize = chunkSize;
    }

    /// <summary>Pushes the image's blobs, then its manifest as <paramref name="tag"/> of <paramref name="repository"/>.</summary>
    /// <param name="image">What to push.</param>
    /// <param name="repository">The repository name, e.g. <c>team/web</c>.</param>
    /// <param name="tag">A tag, or a digest to push the manifest by digest.</param>
    /// <param name="progress">Told about every blob: skipped, or bytes uploaded so far.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <exception cref="RegistryPushException">The registry refused a step.</exception>
    public async Task PushAsync(BuiltImage image, string repository, string tag, IProgress<PushProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tag);
        if (!RepositoryName().IsMatch(repository))
        {
            throw new ArgumentException($"'{repository}' is not a valid repository name", nameof(repository));
        }
        if (!TagName().IsMatch(tag) && !Digest.TryParse(tag, out _))
        {
            throw new ArgumentException($"'{tag}' is neither a valid tag nor a digest", nameof(tag));
        }
        var largest = image.Blobs.Select(b => b.Descriptor.Size).DefaultIfEmpty(0).Max();
        var buffer = new byte[(int)Math.Clamp(largest, 1, _chunkSize)];
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob, buffer, progress, cancellationToken).ConfigureAwait(false);
        }
        await PushManifestAsync(repository, tag, image, cancellationToken).ConfigureAwait(false);
    }

    private async Task PushBlobAsync(string repository, BuiltBlob blob, byte[] buffer, IProgress<PushProgress>? progress, CancellationToken cancellationToken)
    {
        var digest = blob.Descriptor.Digest;
        var size = blob.Descriptor.Size;
        var blobUri = Resolve($"v2/{repository}/blobs/{digest}");
        using (var head = await SendAsync(HttpMethod.Head, blobUri, null, cancellationToken).ConfigureAwait(false))
        {
            if (head.StatusCode == HttpStatusCode.OK)
            {
                progress?.Report(new PushProgress(digest, size, size, Skipped: true));
                return;
            }
            if (head.StatusCode != HttpStatusCode.NotFound)
            {
                throw await FailureAsync(HttpMethod.Head, blobUri, head, cancellationToken).ConfigureAwait(false);
            }
        }

        var location = await SendForLocationAsync(HttpMethod.Post, Resolve($"v2/{repository}/blobs/uploads/"), null, cancellationToken).ConfigureAwait(false);
        if (size > 0)
        {
            progress?.Report(new PushProgress(digest, 0, size, Skipped: false));
        }
        var file = new FileStream(blob.Path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        await using (file.ConfigureAwait(false))
        {
            for (long offset = 0; offset < size;)
            {
                var length = (int)Math.Min(buffer.Length, size - offset);
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                var chunk = new ByteArrayContent(buffer, 0, length);
                chunk.Headers.ContentType = OctetStream;
                chunk.Headers.ContentLength = length;
                chunk.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
                location = await SendForLocationAsync(HttpMethod.Patch, location, chunk, cancellationToken).ConfigureAwait(false);
                offset += length;
                if (offset < size)
                {
                    progress?.Report(new PushProgress(digest, offset, size, Skipped: false));
                }
            }
        }

        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var commit = new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest));
        using var committed = await SendAsync(HttpMethod.Put, commit, null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(HttpMethod.Put, commit, committed, cancellationToken).ConfigureAwait(false);
        progress?.Report(new PushProgress(digest, size, size, Skipped: false));
    }

    private async Task PushManifestAsync(string repository, string tag, BuiltImage image, CancellationToken cancellationToken)
    {
        var uri = Resolve($"v2/{repository}/manifests/{tag}");
        var content = new ReadOnlyMemoryContent(image.Manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(image.MediaType);
        using var response = await SendAsync(HttpMethod.Put, uri, content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(HttpMethod.Put, uri, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request that must answer with the next upload Location; returns it resolved against the registry.</summary>
    private async Task<Uri> SendForLocationAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, uri, content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(method, uri, response, cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location
            ?? throw new RegistryPushException($"{method} {uri.AbsolutePath} returned {(int)response.StatusCode} without a Location header", response.StatusCode);
        return location.IsAbsoluteUri ? location : new Uri(_registry, location);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (_credentials is not null)
        {
            request.Headers.Authorization = _credentials.ToBasicAuthorization();
        }
        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpMethod method, Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(method, uri, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<RegistryPushException> FailureAsync(HttpMethod method, Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = response.StatusCode;
        return new RegistryPushException(
            string.Create(CultureInfo.InvariantCulture, $"{method} {uri.AbsolutePath} failed with {(int)status} {status}: {RegistryErrorBody.Describe(body)}"),
            status);
    }

    private Uri Resolve(string relative) => new(_registry, relative);

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagName();
}
