using System.Text.Json;
using Gantry.Oci.Build;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Oci.Tests.Build;

public sealed class ImageBuilderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly ImageBuilder _builder = new(new FakeTimeProvider(Now));

    public void Dispose() => _temp.Dispose();

    private ImageBuildOptions Options()
    {
        var rootfs = Directory.CreateDirectory(_temp.Combine("rootfs", "bin")).Parent!.FullName;
        File.WriteAllText(_temp.Combine("rootfs", "bin", "app"), "app");
        return new ImageBuildOptions
        {
            RootFs = rootfs,
            Entrypoint = ["/bin/app"],
            Cmd = ["serve"],
            Env = ["MODE=prod"],
            WorkingDir = "/",
            User = "nobody",
            ExposedPorts = ["80", "53/udp"],
            Labels = new Dictionary<string, string> { ["app"] = "web" },
        };
    }

    [Fact]
    public async Task The_manifest_reader_accepts_the_manifest_and_finds_the_built_blobs()
    {
        var image = await _builder.BuildAsync(Options(), _temp.Combine("out"), TestTimeout.Token());

        var manifest = ManifestReader.Read(image.Manifest.Span, MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config!.MediaType);
        Assert.Equal(MediaTypes.OciLayerGzip, Assert.Single(manifest.Layers).MediaType);
        Assert.Equal(
            image.Blobs.Select(b => b.Descriptor).OrderBy(d => d.Digest, StringComparer.Ordinal),
            manifest.Blobs.OrderBy(d => d.Digest, StringComparer.Ordinal));
        Assert.Equal(Digest.Of(image.Manifest.Span), image.ManifestDigest);
    }

    [Fact]
    public async Task Every_blob_file_has_the_digest_and_size_its_descriptor_says()
    {
        var image = await _builder.BuildAsync(Options(), _temp.Combine("out"), TestTimeout.Token());

        Assert.Equal(2, image.Blobs.Count);
        foreach (var blob in image.Blobs)
        {
            var content = await File.ReadAllBytesAsync(blob.Path, TestTimeout.Token());
            Assert.Equal(blob.Descriptor.Digest, Digest.Of(content).ToString());
            Assert.Equal(blob.Descriptor.Size, content.Length);
            Assert.Equal(_temp.Combine("out", "blobs", "sha256", Digest.Of(content).Hex), blob.Path);
        }
        Assert.True(File.Exists(_temp.Combine("out", "blobs", "sha256", image.ManifestDigest.Hex)));
    }

    [Fact]
    public async Task The_config_carries_the_options_and_the_layer_diff_id()
    {
        var image = await _builder.BuildAsync(Options(), _temp.Combine("out"), TestTimeout.Token());

        var manifest = ManifestReader.Read(image.Manifest.Span, MediaTypes.OciManifest);
        var configPath = image.Blobs.Single(b => b.Descriptor.Digest == manifest.Config!.Digest).Path;
        var config = ImageConfig.Parse(await File.ReadAllBytesAsync(configPath, TestTimeout.Token()));
        var layerPath = image.Blobs.Single(b => b.Descriptor.Digest == manifest.Layers[0].Digest).Path;

        Assert.Equal([Digest.Of(LayerReader.Decompress(layerPath)).ToString()], config.RootFs.DiffIds);
        Assert.Equal(Now, config.Created);
        Assert.Equal("linux", config.Os);
        Assert.Equal(GoArchitecture.Current, config.Architecture);
        Assert.Equal(["80/tcp", "53/udp"], config.Config!.ExposedPorts!);
        Assert.Equal(["/bin/app"], config.Config.Entrypoint!);
        Assert.Equal(["serve"], config.Config.Cmd!);
        Assert.Equal(["MODE=prod"], config.Config.Env!);
        Assert.Equal(("nobody", "/"), (config.Config.User, config.Config.WorkingDir));
        Assert.Equal("web", config.Config.Labels!["app"]);
    }

    [Fact]
    public async Task The_output_is_an_oci_image_layout_whose_index_names_the_manifest()
    {
        var image = await _builder.BuildAsync(Options(), _temp.Combine("out"), TestTimeout.Token());

        using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(_temp.Combine("out", "index.json"), TestTimeout.Token()));
        var entry = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(image.ManifestDigest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.OciManifest, entry.GetProperty("mediaType").GetString());
        Assert.Contains("1.0.0", await File.ReadAllTextAsync(_temp.Combine("out", "oci-layout"), TestTimeout.Token()), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_temp.Combine("out", "blobs", "sha256")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Building_the_same_options_twice_gives_the_same_manifest_digest()
    {
        var options = Options();

        var first = await _builder.BuildAsync(options, _temp.Combine("one"), TestTimeout.Token());
        var second = await _builder.BuildAsync(options, _temp.Combine("two"), TestTimeout.Token());

        Assert.Equal(first.ManifestDigest, second.ManifestDigest);
    }
}
