namespace Gantry.Agent.Images;

/// <summary>
/// How the image store names work in progress: <c>&lt;final name&gt;.tmp-&lt;guid&gt;</c> beside (or, for downloads,
/// apart from) where it ends up. Whatever still carries the marker is unfinished and may be removed once nobody holds it.
/// </summary>
internal static class Staging
{
    private const string Marker = ".tmp-";

    /// <summary>A fresh staging path for <paramref name="final"/>.</summary>
    public static string PathFor(string final) => $"{final}{Marker}{Guid.NewGuid():N}";

    /// <summary>A file-name pattern matching every staging entry.</summary>
    public static string Pattern => $"*{Marker}*";

    /// <summary>True when <paramref name="name"/> is a staging entry.</summary>
    public static bool IsStaging(string name) => name.Contains(Marker, StringComparison.Ordinal);

    /// <summary>The final name a staging entry was for (the layer hex of a snapshot or a download); null when it has none.</summary>
    public static string? FinalNameOf(string path)
    {
        var name = Path.GetFileName(path);
        var marker = name.IndexOf(Marker, StringComparison.Ordinal);
        return marker > 0 ? name[..marker] : null;
    }

    /// <summary>Deletes a file or a directory tree (never following a symlinked directory), ignoring what cannot be deleted.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
