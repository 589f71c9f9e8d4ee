namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary>
/// An ELB match pattern: <c>*</c> matches any run of characters, <c>?</c> exactly one, everything else itself
/// (ordinal, or ASCII case-insensitive). Matching allocates nothing.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly string _pattern;
    private readonly bool _ignoreCase;
    private readonly bool _literal;

    public WildcardPattern(string pattern, bool ignoreCase)
    {
        _pattern = pattern;
        _ignoreCase = ignoreCase;
        _literal = pattern.AsSpan().IndexOfAny('*', '?') < 0;
    }

    public bool IsMatch(ReadOnlySpan<char> text)
    {
        var pattern = _pattern.AsSpan();
        if (_literal)
        {
            return _ignoreCase ? text.Equals(pattern, StringComparison.OrdinalIgnoreCase) : text.SequenceEqual(pattern);
        }

        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && (pattern[p] == '?' || Same(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private bool Same(char a, char b) => a == b || (_ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    /// <summary>Whether any of <paramref name="patterns"/> matches <paramref name="text"/> (a condition's values OR).</summary>
    public static bool AnyMatch(WildcardPattern[] patterns, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < patterns.Length; i++)
        {
            if (patterns[i].IsMatch(text))
            {
                return true;
            }
        }

        return false;
    }

    public static WildcardPattern[] All(IReadOnlyList<string> patterns, bool ignoreCase)
    {
        var compiled = new WildcardPattern[patterns.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            compiled[i] = new WildcardPattern(patterns[i], ignoreCase);
        }

        return compiled;
    }
}
