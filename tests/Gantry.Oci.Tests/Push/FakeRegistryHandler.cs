using System.Net;
using System.Text.RegularExpressions;

namespace Gantry.Oci.Tests.Push;

/// <summary>An in-memory OCI distribution registry behind an <see cref="HttpMessageHandler"/>, recording every request.</summary>
internal sealed partial class FakeRegistryHandler : HttpMessageHandler
{
    public sealed record Recorded(HttpMethod Method, Uri Uri, string? Authorization, string? ContentType, long? ContentLength, string? ContentRange, byte[]? Body);

    private readonly Dictionary<string, MemoryStream> _uploads = new(StringComparer.Ordinal);
    private int _nextUpload;

    public List<Recorded> Requests { get; } = [];

    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string? ContentType, byte[] Body)> Manifests { get; } = new(StringComparer.Ordinal);

    /// <summary>Where upload Locations point: null for relative ones, else this absolute base.</summary>
    public Uri? UploadBase { get; init; }

    /// <summary>Answers a request instead of the registry when it returns a response.</summary>
    public Func<Recorded, HttpResponseMessage?>? Override { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var range = request.Content?.Headers.TryGetValues("Content-Range", out var values) == true ? string.Join(",", values) : null;
        var recorded = new Recorded(
            request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.ToString(), request.Content?.Headers.ContentLength, range, body);
        Requests.Add(recorded);
        return Override?.Invoke(recorded) ?? Handle(recorded);
    }

    private HttpResponseMessage Handle(Recorded request)
    {
        var path = request.Uri.AbsolutePath;
        if (BlobPath().Match(path) is { Success: true } blob && request.Method == HttpMethod.Head)
        {
            return new HttpResponseMessage(Blobs.ContainsKey(blob.Groups["digest"].Value) ? HttpStatusCode.OK : HttpStatusCode.NotFound);
        }
        if (StartPath().Match(path) is { Success: true } start && request.Method == HttpMethod.Post)
        {
            var id = $"upload{++_nextUpload}";
            _uploads[id] = new MemoryStream();
            return Accepted($"/v2/{start.Groups["repo"].Value}/blobs/uploads/{id}?_state=0");
        }
        if (UploadPath().Match(path) is { Success: true } upload && _uploads.TryGetValue(upload.Groups["id"].Value, out var data))
        {
            if (request.Method == HttpMethod.Patch)
            {
                var expected = $"{data.Length}-{data.Length + request.Body!.Length - 1}";
                if (request.ContentRange != expected)
                {
                    return new HttpResponseMessage(HttpStatusCode.RequestedRangeNotSatisfiable);
                }
                data.Write(request.Body);
                return Accepted($"{path}?_state={data.Length}");
            }
            if (request.Method == HttpMethod.Put)
            {
                var digest = Uri.UnescapeDataString(DigestQuery().Match(request.Uri.Query).Groups["digest"].Value);
                if (Digest.Of(data.ToArray()).ToString() != digest)
                {
                    return Error(HttpStatusCode.BadRequest, "DIGEST_INVALID", "provided digest did not match uploaded content");
                }
                Blobs[digest] = data.ToArray();
                return new HttpResponseMessage(HttpStatusCode.Created);
            }
        }
        if (ManifestPath().Match(path) is { Success: true } manifest && request.Method == HttpMethod.Put)
        {
            Manifests[manifest.Groups["reference"].Value] = (request.ContentType, request.Body ?? []);
            return new HttpResponseMessage(HttpStatusCode.Created);
        }
        return Error(HttpStatusCode.NotFound, "NAME_UNKNOWN", $"no route for {request.Method} {path}");
    }

    private HttpResponseMessage Accepted(string location)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Accepted);
        response.Headers.Location = UploadBase is null ? new Uri(location, UriKind.Relative) : new Uri(UploadBase, location);
        return response;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($$$"""{"errors":[{"code":"{{{code}}}","message":"{{{message}}}","detail":{}}]}"""),
    };

    [GeneratedRegex("^/v2/(?<repo>.+)/blobs/(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex BlobPath();

    [GeneratedRegex("^/v2/(?<repo>.+)/blobs/uploads/$")]
    private static partial Regex StartPath();

    [GeneratedRegex("^/v2/(?<repo>.+)/blobs/uploads/(?<id>[^/]+)$")]
    private static partial Regex UploadPath();

    [GeneratedRegex("^/v2/(?<repo>.+)/manifests/(?<reference>[^/]+)$")]
    private static partial Regex ManifestPath();

    [GeneratedRegex("[?&]digest=(?<digest>[^&]+)")]
    private static partial Regex DigestQuery();
}
