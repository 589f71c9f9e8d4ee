using System.Text;

namespace Gantry.Logs;

internal enum FilterTermKind
{
    Required,
    AnyOf,
    Excluded,
}

/// <summary>One term of an unstructured filter pattern: its literal text and how it combines.</summary>
internal readonly record struct FilterTerm(FilterTermKind Kind, string Literal);

/// <summary>Splits an unstructured filter pattern into terms; every malformed input is a <see cref="FormatException"/>.</summary>
internal static class FilterPatternLexer
{
    public static List<FilterTerm> Terms(string text)
    {
        var first = text.TrimStart();
        switch (first[0])
        {
            case '{':
                throw new FormatException("JSON filter patterns ({ $.field = value }) are not supported; use terms, \"phrases\", ?terms and -terms.");
            case '[':
                throw new FormatException("Space-delimited filter patterns ([field, ...]) are not supported; use terms, \"phrases\", ?terms and -terms.");
            case '%':
                throw new FormatException("Regular-expression filter patterns (%regex%) are not supported; use terms, \"phrases\", ?terms and -terms.");
        }
        var terms = new List<FilterTerm>();
        var position = 0;
        while (true)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            if (position == text.Length)
            {
                return terms;
            }
            var kind = FilterTermKind.Required;
            if (text[position] is '?' or '-')
            {
                kind = text[position] == '?' ? FilterTermKind.AnyOf : FilterTermKind.Excluded;
                position++;
                if (position == text.Length || char.IsWhiteSpace(text[position]))
                {
                    throw new FormatException($"'{text[position - 1]}' at position {position - 1} must be followed by a term or a \"phrase\".");
                }
            }
            var literal = text[position] == '"' ? ReadPhrase(text, ref position) : ReadWord(text, ref position);
            terms.Add(new FilterTerm(kind, literal));
        }
    }

    private static string ReadWord(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            var c = text[position];
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                throw new FormatException(
                    $"The term starting at position {start} contains '{c}': terms with characters other than letters, digits and underscores must be enclosed in double quotes.");
            }
            position++;
        }
        return text[start..position];
    }

    private static string ReadPhrase(string text, ref int position)
    {
        var start = position;
        position++;
        var literal = new StringBuilder();
        while (true)
        {
            if (position == text.Length)
            {
                throw new FormatException($"The phrase starting at position {start} has no closing double quote.");
            }
            var c = text[position++];
            if (c == '"')
            {
                break;
            }
            if (c == '\\' && position < text.Length && text[position] is '"' or '\\')
            {
                c = text[position++];
            }
            literal.Append(c);
        }
        if (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            throw new FormatException($"The phrase starting at position {start} must be followed by a space, not '{text[position]}'.");
        }
        return literal.ToString();
    }
}
