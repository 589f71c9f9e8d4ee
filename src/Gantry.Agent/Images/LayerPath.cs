namespace Gantry.Agent.Images;

/// <summary>Tar entry names made safe: relative, <c>/</c>-separated, no <c>.</c> or <c>..</c> components, never above the layer root.</summary>
internal static class LayerPath
{
    /// <summary>
    /// The cleaned relative path of <paramref name="name"/> (<c>""</c> for the root itself), or null when it is absolute
    /// or its <c>..</c> components climb above the root.
    /// </summary>
    public static string? Clean(string name)
    {
        if (name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }
                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }
        return string.Join('/', parts);
    }

    /// <summary>Splits a cleaned path into its parent (<c>""</c> for the root) and its last component.</summary>
    public static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
    }

    /// <summary>Joins a cleaned parent and a child name.</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}/{name}";
}
