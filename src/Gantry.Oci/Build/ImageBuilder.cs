using System.Text;
using System.Text.Json;

namespace Gantry.Oci.Build;

/// <summary>
/// Builds a single-layer OCI image into an OCI image layout directory: <c>blobs/sha256/&lt;hex&gt;</c> for the layer,
/// the config and the manifest, plus <c>oci-layout</c> and <c>index.json</c> naming the manifest.
/// </summary>
public sealed class ImageBuilder(TimeProvider timeProvider)
{
    private const string CreatedBy = "gantry image build";

    /// <summary>Builds the image described by <paramref name="options"/> into <paramref name="outputDirectory"/> (created if missing).</summary>
    public async Task<BuiltImage> BuildAsync(ImageBuildOptions options, string outputDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var ports = options.ExposedPorts.Select(ExposedPorts.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var blobs = Directory.CreateDirectory(Path.Combine(outputDirectory, "blobs", Digest.Sha256)).FullName;

        var layer = await BuildLayerAsync(options, blobs, cancellationToken).ConfigureAwait(false);
        var created = options.Created ?? timeProvider.GetUtcNow();
        var config = new ImageConfig
        {
            Created = created,
            Architecture = GoArchitecture.Current,
            Config = new ContainerConfig
            {
                User = options.User,
                ExposedPorts = ports.Count > 0 ? ports : null,
                Env = options.Env.Count > 0 ? options.Env : null,
                Entrypoint = options.Entrypoint,
                Cmd = options.Cmd,
                WorkingDir = options.WorkingDir,
                Labels = options.Labels.Count > 0 ? options.Labels : null,
            },
            RootFs = new RootFs { DiffIds = [layer.Blob.DiffId.ToString()] },
            History = [new HistoryEntry { Created = created, CreatedBy = CreatedBy }],
        };
        var configBlob = await WriteBlobAsync(blobs, MediaTypes.OciConfig, config.ToJson(), cancellationToken).ConfigureAwait(false);
        var layerDescriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = layer.Blob.Digest.ToString(), Size = layer.Blob.Size };

        var manifest = new ImageManifestDocument(configBlob.Descriptor, [layerDescriptor]).ToJson();
        var manifestBlob = await WriteBlobAsync(blobs, MediaTypes.OciManifest, manifest, cancellationToken).ConfigureAwait(false);
        await WriteLayoutAsync(outputDirectory, manifestBlob.Descriptor, cancellationToken).ConfigureAwait(false);
        return new BuiltImage(manifest, Digest.Of(manifest), [new BuiltBlob(layerDescriptor, layer.Path), configBlob]);
    }

    private static async Task<(LayerBlob Blob, string Path)> BuildLayerAsync(ImageBuildOptions options, string blobs, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(blobs, $".{Path.GetRandomFileName()}.layer.tmp");
        var layer = await LayerBuilder.BuildAsync(options.RootFs, temporary, options.LayerTimestamp, cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(blobs, layer.Digest.Hex);
        File.Move(temporary, path, overwrite: true);
        return (layer, path);
    }

    private static async Task<BuiltBlob> WriteBlobAsync(string blobs, string mediaType, byte[] content, CancellationToken cancellationToken)
    {
        var digest = Digest.Of(content);
        var path = Path.Combine(blobs, digest.Hex);
        await File.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
        return new BuiltBlob(new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length }, path);
    }

    private static async Task WriteLayoutAsync(string outputDirectory, Descriptor manifest, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        var index = JsonSerializer.SerializeToUtf8Bytes(new ImageIndexDocument([manifest]));
        await File.WriteAllBytesAsync(Path.Combine(outputDirectory, "index.json"), index, cancellationToken).ConfigureAwait(false);
    }
}
