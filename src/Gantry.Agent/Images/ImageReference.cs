using System.Diagnostics.CodeAnalysis;

namespace Gantry.Agent.Images;

/// <summary>
/// A container image reference as ECS task definitions write it: <c>[registry/]repository[:tag][@digest]</c>.
/// Without a registry host, the agent's default registry (Gantry's own) is meant.
/// </summary>
public sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>What to ask the registry for: the digest when pinned, else the tag (default latest).</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    public override string ToString() => $"{Registry}/{Repository}" + (Tag is null ? "" : $":{Tag}") + (Digest is null ? "" : $"@{Digest}");

    public static bool TryParse(string? text, string defaultRegistry, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text) || text.Any(char.IsWhiteSpace))
        {
            return false;
        }
        string? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
            if (!Oci.Digest.TryParse(digest, out _))
            {
                return false;
            }
        }
        var registry = defaultRegistry;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = text[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                text = text[(slash + 1)..];
            }
        }
        string? tag = null;
        var colon = text.LastIndexOf(':');
        if (colon > 0)
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
        }
        if (text.Length == 0 || (tag is not null && tag.Length == 0))
        {
            return false;
        }
        reference = new ImageReference(registry, text, tag, digest);
        return true;
    }
}
