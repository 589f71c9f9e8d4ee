using Gantry.Oci;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;

namespace Gantry.Registry.Tests.Catalog;

public sealed class ImageCatalogTests : IAsyncLifetime
{
    private const string Repo = "team/app";
    private RegistryHarness _registry = null!;
    private Blob _config = null!;
    private Blob _layer = null!;

    private ImageCatalog Catalog => _registry.Catalog;
    private CancellationToken Ct => _registry.Ct;

    public async Task InitializeAsync()
    {
        _registry = await RegistryHarness.CreateAsync();
        await _registry.CreateRepositoryAsync(Repo);
        _config = await _registry.AddBlobAsync(Repo, TestContent.Utf8("""{"architecture":"amd64","os":"linux"}"""));
        _layer = await _registry.AddBlobAsync(Repo, TestContent.Random(4096));
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_manifest_whose_layers_are_not_linked_is_refused_and_nothing_is_stored()
    {
        var unlinked = await _registry.IngestAsync(TestContent.Random(2048));
        var manifest = TestManifests.Image(_config, [_layer, unlinked]);

        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, "v1", manifest));

        Assert.Equal(RegistryError.ManifestBlobUnknown, e.Code);
        Assert.Contains(unlinked.Digest.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Null(await Catalog.ResolveAsync(Repo, "v1", Ct));
        Assert.Null(await Catalog.ResolveAsync(Repo, TestManifests.AsBlob(manifest).Digest.ToString(), Ct));
        Assert.Empty(await Catalog.ListImagesAsync(Repo, Ct));
        Assert.Empty(await Catalog.ListTagsAsync(Repo, null, 100, Ct));
        Assert.Null(await Catalog.FindBlobAsync(Repo, TestManifests.AsBlob(manifest).Digest, Ct));
    }

    [Fact]
    public async Task A_blob_linked_only_in_another_repository_does_not_count()
    {
        await _registry.CreateRepositoryAsync("team/other");
        var manifest = TestManifests.Image(_config, [_layer]);

        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync("team/other", "v1", manifest));

        Assert.Equal(RegistryError.ManifestBlobUnknown, e.Code);
        Assert.Empty(await Catalog.ListImagesAsync("team/other", Ct));
    }

    [Fact]
    public async Task A_manifest_is_stored_once_its_layers_are_linked()
    {
        var late = await _registry.IngestAsync(TestContent.Random(2048));
        var manifest = TestManifests.Image(_config, [_layer, late]);
        await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, "v1", manifest));

        await Catalog.LinkBlobAsync(Repo, late.Digest, late.Size, Ct);
        var image = await _registry.PushAsync(Repo, "v1", manifest);

        var stored = TestManifests.AsBlob(manifest);
        Assert.Equal(stored.Digest.ToString(), image.Digest);
        Assert.Equal(Repo, image.Repository);
        Assert.Equal(MediaTypes.OciManifest, image.MediaType);
        Assert.Equal(["v1"], image.Tags);
        Assert.Equal([_config.Digest.ToString(), _layer.Digest.ToString(), late.Digest.ToString()], image.Blobs);
        Assert.Equal(stored.Size, image.ManifestSize);
        Assert.Equal(_config.Size + _layer.Size + late.Size + stored.Size, image.ContentSize);
        Assert.Equal(_registry.Time.GetUtcNow(), image.PushedAt);
        var byTag = await Catalog.ResolveAsync(Repo, "v1", Ct);
        Assert.Equal(image.Digest, byTag?.Digest);
        Assert.Equal(image.Blobs, byTag?.Blobs);
        Assert.Equal(image.PushedAt, byTag?.PushedAt);
        Assert.Equal(image.Digest, (await Catalog.ResolveAsync(Repo, image.Digest, Ct))?.Digest);
        Assert.Equal(stored.Size, _registry.Blobs.SizeOf(stored.Digest));
        Assert.Equal(stored.Size, (await Catalog.FindBlobAsync(Repo, stored.Digest, Ct))?.Size);
        Assert.Equal(["v1"], await Catalog.ListTagsAsync(Repo, null, 100, Ct));
    }

    [Fact]
    public async Task Pushing_to_a_missing_repository_is_name_unknown()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync("team/nothing", "v1", TestManifests.Image(_config, [])));

        Assert.Equal(RegistryError.NameUnknown, e.Code);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"schemaVersion":1}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    public async Task A_malformed_manifest_is_manifest_invalid(string manifest)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, "v1", manifest));

        Assert.Equal(RegistryError.ManifestInvalid, e.Code);
        Assert.Empty(await Catalog.ListImagesAsync(Repo, Ct));
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("-v1")]
    public async Task An_invalid_tag_is_tag_invalid(string tag)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, tag, TestManifests.Image(_config, [_layer])));

        Assert.Equal(RegistryError.TagInvalid, e.Code);
    }

    [Fact]
    public async Task Moving_a_tag_updates_the_tags_of_both_images()
    {
        var first = await _registry.PushAsync(Repo, "latest", TestManifests.Image(_config, [_layer], note: "first"));
        var second = await _registry.PushAsync(Repo, "latest", TestManifests.Image(_config, [_layer], note: "second"));

        Assert.Equal(["latest"], second.Tags);
        Assert.Empty((await Catalog.ResolveAsync(Repo, first.Digest, Ct))!.Tags);
        Assert.Equal(second.Digest, (await Catalog.ResolveAsync(Repo, "latest", Ct))!.Digest);
        Assert.Equal(2, (await Catalog.ListImagesAsync(Repo, Ct)).Count);
    }

    [Fact]
    public async Task Tagging_an_existing_image_again_keeps_its_tags_and_push_time()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        var first = await _registry.PushAsync(Repo, "v1", manifest);
        _registry.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await _registry.PushAsync(Repo, "stable", manifest);
        var byDigest = await _registry.PushAsync(Repo, first.Digest, manifest);

        Assert.Equal(["v1", "stable"], again.Tags);
        Assert.Equal(["v1", "stable"], byDigest.Tags);
        Assert.Equal(first.PushedAt, byDigest.PushedAt);
        Assert.Single(await Catalog.ListImagesAsync(Repo, Ct));
    }

    [Fact]
    public async Task An_immutable_repository_refuses_to_move_a_tag_but_accepts_the_same_digest_again()
    {
        await _registry.CreateRepositoryAsync("team/frozen", RepositoryRecord.Immutable);
        await Catalog.LinkBlobAsync("team/frozen", _config.Digest, _config.Size, Ct);
        await Catalog.LinkBlobAsync("team/frozen", _layer.Digest, _layer.Size, Ct);
        var manifest = TestManifests.Image(_config, [_layer], note: "first");
        var first = await _registry.PushAsync("team/frozen", "v1", manifest);
        var other = TestManifests.Image(_config, [_layer], note: "second");

        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync("team/frozen", "v1", other));

        Assert.Equal(RegistryError.TagInvalid, e.Code);
        Assert.Equal(first.Digest, (await Catalog.ResolveAsync("team/frozen", "v1", Ct))!.Digest);
        Assert.Null(await Catalog.ResolveAsync("team/frozen", TestManifests.AsBlob(other).Digest.ToString(), Ct));
        var again = await _registry.PushAsync("team/frozen", "v1", manifest);
        Assert.Equal(first.Digest, again.Digest);
        Assert.Equal(["v1"], again.Tags);
        Assert.Single(await Catalog.ListImagesAsync("team/frozen", Ct));
    }

    [Fact]
    public async Task Pushing_by_a_digest_the_content_does_not_have_is_digest_invalid()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        var wrong = Digest.Of(TestContent.Random(10)).ToString();

        var mismatch = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, wrong, manifest));
        var unsupported = await Assert.ThrowsAsync<RegistryException>(() => _registry.PushAsync(Repo, "md5:0123", manifest));

        Assert.Equal(RegistryError.DigestInvalid, mismatch.Code);
        Assert.Equal(RegistryError.DigestInvalid, unsupported.Code);
        Assert.Empty(await Catalog.ListImagesAsync(Repo, Ct));
    }

    [Fact]
    public async Task Pushing_by_digest_stores_an_untagged_image()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        var digest = TestManifests.AsBlob(manifest).Digest.ToString();

        var image = await _registry.PushAsync(Repo, digest, manifest);

        Assert.Equal(digest, image.Digest);
        Assert.Empty(image.Tags);
        Assert.Empty(await Catalog.ListTagsAsync(Repo, null, 100, Ct));
    }

    [Fact]
    public async Task Pushing_by_a_sha512_digest_stores_the_image_under_it()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        var digest = TestContent.Sha512Of(TestContent.Utf8(manifest));

        var image = await _registry.PushAsync(Repo, digest, manifest);

        Assert.Equal(digest, image.Digest);
        Assert.Equal(digest, (await Catalog.ResolveAsync(Repo, digest, Ct))?.Digest);
        Assert.True(Digest.TryParse(digest, out var parsed));
        Assert.NotNull(_registry.Blobs.SizeOf(parsed));
    }

    [Fact]
    public async Task A_manifest_listing_the_same_layer_twice_is_stored()
    {
        var manifest = TestManifests.Image(_config, [_layer, _layer]);

        var image = await _registry.PushAsync(Repo, "v1", manifest);

        Assert.Equal(["v1"], image.Tags);
    }

    [Fact]
    public async Task Deleting_an_image_removes_its_tags()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        await _registry.PushAsync(Repo, "a", manifest);
        var image = await _registry.PushAsync(Repo, "b", manifest);
        var kept = await _registry.PushAsync(Repo, "c", TestManifests.Image(_config, [_layer], note: "kept"));

        Assert.True(await Catalog.DeleteImageAsync(Repo, image.Digest, Ct));

        Assert.Null(await Catalog.ResolveAsync(Repo, image.Digest, Ct));
        Assert.Null(await Catalog.ResolveAsync(Repo, "a", Ct));
        Assert.Null(await Catalog.ResolveAsync(Repo, "b", Ct));
        Assert.Equal(["c"], await Catalog.ListTagsAsync(Repo, null, 100, Ct));
        Assert.Equal([kept.Digest], (await Catalog.ListImagesAsync(Repo, Ct)).Select(i => i.Digest));
        Assert.False(await Catalog.DeleteImageAsync(Repo, image.Digest, Ct));
    }

    [Fact]
    public async Task Untag_removes_one_tag_and_keeps_the_image()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        await _registry.PushAsync(Repo, "a", manifest);
        var image = await _registry.PushAsync(Repo, "b", manifest);

        Assert.True(await Catalog.UntagAsync(Repo, "a", Ct));

        Assert.Null(await Catalog.ResolveAsync(Repo, "a", Ct));
        Assert.Equal(["b"], (await Catalog.ResolveAsync(Repo, image.Digest, Ct))!.Tags);
        Assert.Equal(["b"], await Catalog.ListTagsAsync(Repo, null, 100, Ct));
        Assert.False(await Catalog.UntagAsync(Repo, "a", Ct));
    }

    [Fact]
    public async Task Tags_are_listed_in_ordinal_order_after_last_up_to_limit()
    {
        var manifest = TestManifests.Image(_config, [_layer]);
        foreach (var tag in new[] { "b", "a.1", "C", "a", "a-1", "_x" })
        {
            await _registry.PushAsync(Repo, tag, manifest);
        }
        await _registry.CreateRepositoryAsync("team/app2");
        await Catalog.LinkBlobAsync("team/app2", _config.Digest, _config.Size, Ct);
        await Catalog.LinkBlobAsync("team/app2", _layer.Digest, _layer.Size, Ct);
        await _registry.PushAsync("team/app2", "a0", manifest);
        await _registry.CreateRepositoryAsync("team/ap");

        Assert.Equal(["C", "_x", "a", "a-1", "a.1", "b"], await Catalog.ListTagsAsync(Repo, null, 100, Ct));
        Assert.Equal(["C", "_x"], await Catalog.ListTagsAsync(Repo, null, 2, Ct));
        Assert.Equal(["a-1", "a.1"], await Catalog.ListTagsAsync(Repo, "a", 2, Ct));
        Assert.Equal(["b"], await Catalog.ListTagsAsync(Repo, "a.1", 2, Ct));
        Assert.Empty(await Catalog.ListTagsAsync(Repo, "b", 2, Ct));
        Assert.Equal(["a0"], await Catalog.ListTagsAsync("team/app2", null, 100, Ct));
        Assert.Empty(await Catalog.ListTagsAsync("team/ap", null, 100, Ct));
    }

    [Fact]
    public async Task Referrers_list_manifests_whose_subject_is_the_image_filtered_by_artifact_type()
    {
        var subjectManifest = TestManifests.Image(_config, [_layer]);
        var subject = await _registry.PushAsync(Repo, "v1", subjectManifest);
        var subjectBlob = TestManifests.AsBlob(subjectManifest);
        var empty = await _registry.AddBlobAsync(Repo, TestContent.Utf8("{}"));
        var signature = TestManifests.Image(empty, [], configMediaType: MediaTypes.OciEmpty, subject: subjectBlob, artifactType: "application/vnd.example.signature");
        var sbomConfig = await _registry.AddBlobAsync(Repo, TestContent.Utf8("""{"sbom":true}"""));
        var sbom = TestManifests.Image(sbomConfig, [], configMediaType: "application/vnd.example.sbom", subject: subjectBlob);
        var signatureImage = await _registry.PushAsync(Repo, TestManifests.AsBlob(signature).Digest.ToString(), signature);
        var sbomImage = await _registry.PushAsync(Repo, TestManifests.AsBlob(sbom).Digest.ToString(), sbom);

        var all = await Catalog.ReferrersAsync(Repo, subject.Digest, null, Ct);
        var signatures = await Catalog.ReferrersAsync(Repo, subject.Digest, "application/vnd.example.signature", Ct);
        var sboms = await Catalog.ReferrersAsync(Repo, subject.Digest, "application/vnd.example.sbom", Ct);

        Assert.Equal(new[] { signatureImage.Digest, sbomImage.Digest }.Order(StringComparer.Ordinal), all.Select(d => d.Digest).Order(StringComparer.Ordinal));
        var onlySignature = Assert.Single(signatures);
        Assert.Equal(signatureImage.Digest, onlySignature.Digest);
        Assert.Equal(MediaTypes.OciManifest, onlySignature.MediaType);
        Assert.Equal(TestManifests.AsBlob(signature).Size, onlySignature.Size);
        Assert.Equal("application/vnd.example.signature", onlySignature.ArtifactType);
        Assert.Equal(sbomImage.Digest, Assert.Single(sboms).Digest);
        Assert.Empty(await Catalog.ReferrersAsync(Repo, signatureImage.Digest, null, Ct));
        Assert.Equal(subjectBlob.Digest.ToString(), signatureImage.Subject?.Digest);

        Assert.True(await Catalog.DeleteImageAsync(Repo, signatureImage.Digest, Ct));
        Assert.Equal(sbomImage.Digest, Assert.Single(await Catalog.ReferrersAsync(Repo, subject.Digest, null, Ct)).Digest);
    }

    [Fact]
    public async Task Unlinking_a_blob_removes_it_from_the_repository()
    {
        Assert.True(await Catalog.UnlinkBlobAsync(Repo, _layer.Digest, Ct));

        Assert.Null(await Catalog.FindBlobAsync(Repo, _layer.Digest, Ct));
        Assert.False(await Catalog.UnlinkBlobAsync(Repo, _layer.Digest, Ct));
        Assert.Equal(_layer.Size, _registry.Blobs.SizeOf(_layer.Digest));
    }
}
