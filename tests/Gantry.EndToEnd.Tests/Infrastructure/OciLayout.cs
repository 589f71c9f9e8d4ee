using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Writes an OCI image layout (the directory skopeo reads as <c>oci:DIR:TAG</c>) with layers of random files.</summary>
public static class OciLayout
{
    /// <summary>Writes an image whose layers each hold one random file of the given size; returns the manifest digest.</summary>
    public static async Task<string> WriteAsync(string directory, string tag, IReadOnlyList<int> layerSizes)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layers = new List<object>();
        var diffIds = new List<string>();
        for (var i = 0; i < layerSizes.Count; i++)
        {
            var temp = Path.Combine(directory, $"layer-{i}.tmp");
            var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = File.Create(temp))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                using var tar = new MemoryStream();
                await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, $"data/layer-{i}.bin") { DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(layerSizes[i])) };
                    await writer.WriteEntryAsync(entry);
                }
                diffHash.AppendData(tar.GetBuffer(), 0, (int)tar.Length);
                await gzip.WriteAsync(tar.GetBuffer().AsMemory(0, (int)tar.Length));
            }
            var digest = await FileDigestAsync(temp);
            File.Move(temp, Path.Combine(blobs, digest), overwrite: true);
            layers.Add(new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = $"sha256:{digest}", size = new FileInfo(Path.Combine(blobs, digest)).Length });
            diffIds.Add("sha256:" + Convert.ToHexStringLower(diffHash.GetHashAndReset()));
        }
        var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = diffIds }, config = new { Cmd = new[] { "sh" } } });
        var configDigest = await WriteBlobAsync(blobs, config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers,
        });
        var manifestDigest = await WriteBlobAsync(blobs, manifest);
        var index = new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = manifestDigest, size = manifest.Length, annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag } } },
        };
        await File.WriteAllBytesAsync(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index));
        await File.WriteAllTextAsync(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", Encoding.UTF8);
        return manifestDigest;
    }

    /// <summary>sha256 hex of every blob file in a layout, by file name.</summary>
    public static async Task<Dictionary<string, string>> BlobDigestsAsync(string directory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "blobs", "sha256")))
        {
            result[Path.GetFileName(file)] = await FileDigestAsync(file);
        }
        return result;
    }

    private static async Task<string> WriteBlobAsync(string blobs, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(Path.Combine(blobs, hex), content);
        return $"sha256:{hex}";
    }

    private static async Task<string> FileDigestAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
