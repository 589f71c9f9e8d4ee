using Gantry.Registry.Catalog;
using Gantry.Registry.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Registry.Tests.Lifecycle;

public sealed class LifecycleRunnerTests : IAsyncLifetime
{
    private const string Repo = "team/app";
    private const string KeepNewestUntagged =
        """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";

    private RegistryHarness _registry = null!;
    private LifecycleRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryHarness.CreateAsync();
        _runner = new LifecycleRunner(_registry.Catalog, _registry.Time, NullLogger<LifecycleRunner>.Instance);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Preview_lists_all_but_the_newest_untagged_image_and_changes_nothing()
    {
        await _registry.CreateRepositoryAsync(Repo);
        var (untagged, tagged) = await PushImagesAsync(Repo);

        var preview = await _runner.PreviewAsync(Repo, KeepNewestUntagged, _registry.Ct);

        Assert.Equal([untagged[0], untagged[1]], preview.Select(p => p.Image.Digest));
        Assert.All(preview, p => Assert.Equal(1, p.RulePriority));
        Assert.Equal(4, (await _registry.Catalog.ListImagesAsync(Repo, _registry.Ct)).Count);
        Assert.NotNull(await _registry.Catalog.ResolveAsync(Repo, tagged, _registry.Ct));
    }

    [Fact]
    public async Task ApplyAll_expires_all_but_the_newest_untagged_image_and_stamps_the_repository()
    {
        await _registry.CreateRepositoryAsync(Repo, lifecyclePolicy: KeepNewestUntagged);
        await _registry.CreateRepositoryAsync("team/nopolicy");
        var (untagged, tagged) = await PushImagesAsync(Repo);
        var (others, _) = await PushImagesAsync("team/nopolicy");
        _registry.Time.Advance(TimeSpan.FromMinutes(10));

        var expired = await _runner.ApplyAllAsync(_registry.Ct);

        Assert.Equal(2, expired);
        var remaining = (await _registry.Catalog.ListImagesAsync(Repo, _registry.Ct)).Select(i => i.Digest).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { untagged[2], tagged }.Order(StringComparer.Ordinal), remaining);
        var repository = await _registry.Catalog.RequireRepositoryAsync(Repo, _registry.Ct);
        Assert.Equal(_registry.Time.GetUtcNow(), repository.LifecycleEvaluatedAt);
        Assert.Equal(KeepNewestUntagged, repository.LifecyclePolicyText);

        Assert.Equal(4, (await _registry.Catalog.ListImagesAsync("team/nopolicy", _registry.Ct)).Count);
        Assert.Null((await _registry.Catalog.RequireRepositoryAsync("team/nopolicy", _registry.Ct)).LifecycleEvaluatedAt);
        Assert.Equal(3, others.Count);
    }

    [Fact]
    public async Task Applying_again_expires_nothing_more()
    {
        await _registry.CreateRepositoryAsync(Repo, lifecyclePolicy: KeepNewestUntagged);
        await PushImagesAsync(Repo);
        await _runner.ApplyAllAsync(_registry.Ct);
        _registry.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await _runner.ApplyAllAsync(_registry.Ct));

        Assert.Equal(2, (await _registry.Catalog.ListImagesAsync(Repo, _registry.Ct)).Count);
        Assert.Equal(_registry.Time.GetUtcNow(), (await _registry.Catalog.RequireRepositoryAsync(Repo, _registry.Ct)).LifecycleEvaluatedAt);
    }

    /// <summary>Three untagged images an hour apart (oldest first) and a tagged one older than all of them.</summary>
    private async Task<(IReadOnlyList<string> Untagged, string Tagged)> PushImagesAsync(string repository)
    {
        var config = await _registry.AddBlobAsync(repository, TestContent.Utf8("""{"os":"linux"}"""));
        var layer = await _registry.AddBlobAsync(repository, TestContent.Random(100));
        var tagged = await _registry.PushAsync(repository, "release", TestManifests.Image(config, [layer], note: "tagged"));
        var untagged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            _registry.Time.Advance(TimeSpan.FromHours(1));
            var manifest = TestManifests.Image(config, [layer], note: $"untagged {i}");
            var image = await _registry.PushAsync(repository, TestManifests.AsBlob(manifest).Digest.ToString(), manifest);
            untagged.Add(image.Digest);
        }
        return (untagged, tagged.Digest);
    }
}
