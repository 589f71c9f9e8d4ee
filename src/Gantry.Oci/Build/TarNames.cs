namespace Gantry.Oci.Build;

/// <summary>How layer entry names are normalized: relative, without a leading <c>./</c> or <c>/</c>.</summary>
internal static class TarNames
{
    /// <summary>Strips every leading <c>./</c> and <c>/</c>; the root itself (<c>.</c>, <c>./</c>, <c>/</c>) becomes empty.</summary>
    public static string Normalize(string name)
    {
        var span = name.AsSpan();
        while (true)
        {
            if (span.StartsWith("./", StringComparison.Ordinal))
            {
                span = span[2..];
            }
            else if (span.StartsWith("/", StringComparison.Ordinal))
            {
                span = span[1..];
            }
            else
            {
                break;
            }
        }
        return span is "." ? "" : span.ToString();
    }
}
