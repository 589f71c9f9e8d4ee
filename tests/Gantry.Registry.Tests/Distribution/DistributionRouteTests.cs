using Gantry.Registry.Distribution;

namespace Gantry.Registry.Tests.Distribution;

public sealed class DistributionRouteTests
{
    private const string Sha = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    [Theory]
    [InlineData("", RouteKind.Base, "", "")]
    [InlineData("/", RouteKind.Base, "", "")]
    [InlineData("/library/busybox/manifests/latest", RouteKind.Manifest, "library/busybox", "latest")]
    [InlineData("/app/manifests/" + Sha, RouteKind.Manifest, "app", Sha)]
    [InlineData("/a/b/c/d/manifests/v1.0", RouteKind.Manifest, "a/b/c/d", "v1.0")]
    [InlineData("/team/app/blobs/" + Sha, RouteKind.Blob, "team/app", Sha)]
    [InlineData("/team/app/blobs/uploads", RouteKind.Uploads, "team/app", "")]
    [InlineData("/team/app/blobs/uploads/", RouteKind.Uploads, "team/app", "")]
    [InlineData("/team/app/blobs/uploads/0123456789abcdef0123456789abcdef", RouteKind.Upload, "team/app", "0123456789abcdef0123456789abcdef")]
    [InlineData("/team/app/tags/list", RouteKind.Tags, "team/app", "")]
    [InlineData("/team/app/referrers/" + Sha, RouteKind.Referrers, "team/app", Sha)]
    public void Parses_each_endpoint_with_names_containing_slashes(string path, RouteKind kind, string name, string reference) =>
        Assert.Equal(new DistributionRoute(kind, name, reference), DistributionRoute.Parse(path));

    [Theory]
    [InlineData("/team/blobs/app/manifests/v1", RouteKind.Manifest, "team/blobs/app", "v1")]
    [InlineData("/team/manifests/app/blobs/" + Sha, RouteKind.Blob, "team/manifests/app", Sha)]
    [InlineData("/tags/list/app/tags/list", RouteKind.Tags, "tags/list/app", "")]
    [InlineData("/blobs/uploads/x/blobs/uploads/abc", RouteKind.Upload, "blobs/uploads/x", "abc")]
    [InlineData("/manifests/app/referrers/" + Sha, RouteKind.Referrers, "manifests/app", Sha)]
    public void Names_containing_endpoint_words_are_parsed_from_the_right(string path, RouteKind kind, string name, string reference) =>
        Assert.Equal(new DistributionRoute(kind, name, reference), DistributionRoute.Parse(path));

    [Theory]
    [InlineData("/team/app")]
    [InlineData("/team/app/manifests")]
    [InlineData("/team/app/manifests/")]
    [InlineData("/team/app/blobs")]
    [InlineData("/manifests/latest")]
    [InlineData("/team/app/manifests/v1/extra")]
    [InlineData("/team/app/tags")]
    [InlineData("/_catalog")]
    public void Anything_else_is_unknown(string path)
    {
        var route = DistributionRoute.Parse(path);

        Assert.Equal(RouteKind.Unknown, route.Kind);
        Assert.Equal(path.Trim('/'), route.Name);
    }
}
