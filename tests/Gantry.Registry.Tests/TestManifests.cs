using System.Text.Json.Nodes;
using Gantry.Oci;

namespace Gantry.Registry.Tests;

/// <summary>OCI image manifests as the JSON a client pushes.</summary>
internal static class TestManifests
{
    public static string Image(
        Blob config,
        IEnumerable<Blob> layers,
        string configMediaType = MediaTypes.OciConfig,
        Blob? subject = null,
        string? artifactType = null,
        string? note = null)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor(configMediaType, config),
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)Descriptor(MediaTypes.OciLayerGzip, l))]),
        };
        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }
        if (subject is not null)
        {
            manifest["subject"] = Descriptor(MediaTypes.OciManifest, subject);
        }
        if (note is not null)
        {
            manifest["annotations"] = new JsonObject { ["note"] = note };
        }
        return manifest.ToJsonString();
    }

    /// <summary>The blob a pushed manifest is stored as.</summary>
    public static Blob AsBlob(string manifest)
    {
        var bytes = TestContent.Utf8(manifest);
        return new Blob(Digest.Of(bytes), bytes.Length);
    }

    private static JsonObject Descriptor(string mediaType, Blob blob) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = blob.Digest.ToString(),
        ["size"] = blob.Size,
    };
}
