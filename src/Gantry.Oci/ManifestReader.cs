using System.Text.Json;

namespace Gantry.Oci;

/// <summary>Parses manifest bytes into a <see cref="Manifest"/>, refusing what the OCI image spec does not allow.</summary>
public static class ManifestReader
{
    /// <summary>Parses <paramref name="content"/> pushed with <paramref name="contentType"/>.</summary>
    /// <exception cref="InvalidManifestException">The manifest is malformed; the message says where.</exception>
    public static Manifest Read(ReadOnlySpan<byte> content, string? contentType)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(content);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidManifestException($"manifest is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidManifestException("manifest must be a JSON object");
            }
            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 2)
            {
                throw new InvalidManifestException("schemaVersion must be 2");
            }
            var declared = OptionalString(root, "mediaType");
            var mediaType = Resolve(declared, contentType, root);
            var manifests = Descriptors(root, "manifests");
            var isIndex = MediaTypes.IsIndex(mediaType);
            if (isIndex && !root.TryGetProperty("manifests", out _))
            {
                throw new InvalidManifestException("an index must have manifests");
            }
            Descriptor? config = null;
            if (!isIndex)
            {
                config = root.TryGetProperty("config", out var c) ? ReadDescriptor(c, "config")
                    : throw new InvalidManifestException("an image manifest must have a config");
            }
            return new Manifest(
                mediaType,
                config,
                Descriptors(root, "layers"),
                manifests,
                root.TryGetProperty("subject", out var subject) ? ReadDescriptor(subject, "subject") : null,
                OptionalString(root, "artifactType"),
                Annotations(root));
        }
    }

    private static string Resolve(string? declared, string? contentType, JsonElement root)
    {
        var header = contentType?.Split(';')[0].Trim();
        if (declared is not null && !string.IsNullOrEmpty(header) && header != declared)
        {
            throw new InvalidManifestException($"mediaType '{declared}' does not match Content-Type '{header}'");
        }
        var mediaType = declared ?? header;
        if (string.IsNullOrEmpty(mediaType))
        {
            mediaType = root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        if (!MediaTypes.Manifests.Contains(mediaType))
        {
            throw new InvalidManifestException($"unsupported manifest media type '{mediaType}'");
        }
        return mediaType;
    }

    private static List<Descriptor> Descriptors(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array))
        {
            return [];
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidManifestException($"{name} must be an array");
        }
        return [.. array.EnumerateArray().Select((element, i) => ReadDescriptor(element, $"{name}[{i}]"))];
    }

    private static Descriptor ReadDescriptor(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidManifestException($"{path} must be a descriptor object");
        }
        var mediaType = OptionalString(element, "mediaType") ?? throw new InvalidManifestException($"{path}.mediaType is required");
        var digest = OptionalString(element, "digest");
        if (!Digest.TryParse(digest, out _))
        {
            throw new InvalidManifestException($"{path}.digest '{digest}' is not a valid digest");
        }
        if (!element.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var bytes) || bytes < 0)
        {
            throw new InvalidManifestException($"{path}.size must be a non-negative integer");
        }
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform
            {
                Architecture = OptionalString(p, "architecture") ?? "",
                Os = OptionalString(p, "os") ?? "",
                Variant = OptionalString(p, "variant"),
            };
        }
        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest!,
            Size = bytes,
            ArtifactType = OptionalString(element, "artifactType"),
            Annotations = Annotations(element),
            Platform = platform,
        };
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string>? Annotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }
}
