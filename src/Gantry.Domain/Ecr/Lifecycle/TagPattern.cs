namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>Matches an image tag against a <c>tagPatternList</c> entry: <c>*</c> stands for any run of characters (also none), everything else matches itself, case-sensitively.</summary>
internal static class TagPattern
{
    public static bool Matches(string pattern, string tag)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, tag, StringComparison.Ordinal);
        }
        var (first, last) = (parts[0], parts[^1]);
        var end = tag.Length - last.Length;
        if (end < first.Length || !tag.StartsWith(first, StringComparison.Ordinal) || !tag.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }
        var position = first.Length;
        foreach (var middle in parts.AsSpan(1, parts.Length - 2))
        {
            var found = tag.IndexOf(middle, position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            position = found + middle.Length;
        }
        return true;
    }
}
