namespace Gantry.Iam.Policies.Matching;

/// <summary>ArnEquals/ArnLike: the six colon-delimited parts of the ARN (partition, service, region, account,
/// resource; the resource may hold more colons) are matched one by one, each with '*' and '?' wildcards.</summary>
internal static class ArnLike
{
    private const int Parts = 6;

    public static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<bool> literal, ReadOnlySpan<char> arn)
    {
        int p = 0;
        int a = 0;
        for (int part = 0; part < Parts; part++)
        {
            bool last = part == Parts - 1;
            int pEnd = last ? pattern.Length : IndexOfColon(pattern, p);
            int aEnd = last ? arn.Length : IndexOfColon(arn, a);
            if (pEnd < 0 || aEnd < 0)
            {
                return false;
            }

            ReadOnlySpan<bool> flags = literal.IsEmpty ? default : literal[p..pEnd];
            if (!Wildcard.Match(pattern[p..pEnd], flags, arn[a..aEnd], ignoreCase: false, arn: false))
            {
                return false;
            }

            p = pEnd + 1;
            a = aEnd + 1;
        }

        return true;
    }

    private static int IndexOfColon(ReadOnlySpan<char> text, int from)
    {
        if (from > text.Length)
        {
            return -1;
        }

        int i = text[from..].IndexOf(':');
        return i < 0 ? -1 : from + i;
    }
}
