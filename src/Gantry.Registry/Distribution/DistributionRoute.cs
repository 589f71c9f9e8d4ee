namespace Gantry.Registry.Distribution;

/// <summary>Which endpoint of the distribution API a path under <c>/v2/</c> addresses.</summary>
public enum RouteKind
{
    Base,
    Blob,
    Uploads,
    Upload,
    Manifest,
    Tags,
    Referrers,
    Unknown,
}

/// <summary>A parsed <c>/v2/&lt;name&gt;/...</c> path: repository names contain slashes, so it is parsed from the right.</summary>
public sealed record DistributionRoute(RouteKind Kind, string Name, string Reference)
{
    public static DistributionRoute Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rest = path.Trim('/');
        if (rest.Length == 0)
        {
            return new(RouteKind.Base, "", "");
        }
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return new(RouteKind.Tags, rest[..^"/tags/list".Length], "");
        }
        if (rest.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            return new(RouteKind.Uploads, rest[..^"/blobs/uploads".Length], "");
        }
        foreach (var (marker, kind) in Markers)
        {
            var at = rest.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 0 && rest.IndexOf('/', at + marker.Length) < 0)
            {
                return new(kind, rest[..at], rest[(at + marker.Length)..]);
            }
        }
        return new(RouteKind.Unknown, rest, "");
    }

    private static readonly (string Marker, RouteKind Kind)[] Markers =
    [
        ("/blobs/uploads/", RouteKind.Upload),
        ("/blobs/", RouteKind.Blob),
        ("/manifests/", RouteKind.Manifest),
        ("/referrers/", RouteKind.Referrers),
    ];
}
