namespace Gantry.Iam.Policies.Matching;

/// <summary>
/// IAM's wildcards: <c>*</c> any run of characters, <c>?</c> any one character. In ARN mode (the Resource element)
/// a wildcard stays inside its colon-delimited segment, except a <c>*</c> that ends a segment (followed by ':' or
/// the end), which may run across colons. <paramref name="literal"/>, when not empty, marks pattern characters that
/// are plain text even if they are '*' or '?' (escapes such as <c>${*}</c> and substituted variable values).
/// </summary>
internal static class Wildcard
{
    public static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<bool> literal, ReadOnlySpan<char> text,
        bool ignoreCase, bool arn) => MatchFrom(pattern, literal, 0, text, 0, ignoreCase, arn);

    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    private static bool MatchFrom(ReadOnlySpan<char> pattern, ReadOnlySpan<bool> literal, int p,
        ReadOnlySpan<char> text, int t, bool ignoreCase, bool arn)
    {
        while (p < pattern.Length)
        {
            char c = pattern[p];
            bool wild = literal.IsEmpty || !literal[p];
            if (wild && c == '*')
            {
                bool acrossColons = !arn || p + 1 == pattern.Length || pattern[p + 1] == ':';
                if (p + 1 == pattern.Length)
                {
                    return true;
                }

                for (int k = t; k <= text.Length; k++)
                {
                    if (MatchFrom(pattern, literal, p + 1, text, k, ignoreCase, arn))
                    {
                        return true;
                    }

                    if (k < text.Length && !acrossColons && text[k] == ':')
                    {
                        return false;
                    }
                }

                return false;
            }

            if (t == text.Length)
            {
                return false;
            }

            if (wild && c == '?')
            {
                if (arn && text[t] == ':')
                {
                    return false;
                }
            }
            else if (!Same(c, text[t], ignoreCase))
            {
                return false;
            }

            p++;
            t++;
        }

        return t == text.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
