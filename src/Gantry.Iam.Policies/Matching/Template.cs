namespace Gantry.Iam.Policies.Matching;

/// <summary>
/// A Resource or condition value with policy variables (<c>${aws:username}</c>, <c>${aws:PrincipalTag/team,
/// 'default'}</c>) and the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>, split once into parts. A value without
/// any stays one literal string; variables are read only in 2012-10-17 documents (elsewhere the text is literal).
/// </summary>
internal sealed class Template
{
    private const int StackLimit = 256;

    private readonly Part[] _parts;

    private Template(string text, Part[] parts, bool[]? literal)
    {
        Text = text;
        _parts = parts;
        Literal = literal;
    }

    /// <summary>The text when there are no variables (escapes already resolved), else the raw value.</summary>
    public string Text { get; }

    /// <summary>Which characters of <see cref="Text"/> are escaped wildcards; null when none.</summary>
    public bool[]? Literal { get; }

    public bool HasVariables => _parts.Length > 0;

    public static Template Parse(string value, bool variables)
    {
        if (!variables || !value.Contains("${", StringComparison.Ordinal))
        {
            return new Template(value, [], null);
        }

        var parts = new List<Part>();
        var text = new System.Text.StringBuilder();
        var literal = new List<bool>();
        bool anyVariable = false;
        int i = 0;
        while (i < value.Length)
        {
            int start = value.IndexOf("${", i, StringComparison.Ordinal);
            int end = start < 0 ? -1 : value.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                Add(value[i..], isLiteral: false);
                break;
            }

            Add(value[i..start], isLiteral: false);
            string inner = value[(start + 2)..end];
            if (inner is "*" or "?" or "$")
            {
                Add(inner, isLiteral: true);
            }
            else
            {
                anyVariable = true;
                parts.Add(Variable(inner));
            }

            i = end + 1;
        }

        return anyVariable
            ? new Template(value, [.. parts], null)
            : new Template(text.ToString(), [], literal.Contains(true) ? [.. literal] : null);

        void Add(string s, bool isLiteral)
        {
            if (s.Length == 0)
            {
                return;
            }

            parts.Add(new Part(s, null, null, isLiteral));
            text.Append(s);
            literal.AddRange(Enumerable.Repeat(isLiteral, s.Length));
        }
    }

    private static Part Variable(string inner)
    {
        int comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return new Part(null, inner.Trim(), null, true);
        }

        string fallback = inner[(comma + 1)..].Trim();
        if (fallback.Length >= 2 && fallback[0] == '\'' && fallback[^1] == '\'')
        {
            fallback = fallback[1..^1];
        }

        return new Part(null, inner[..comma].Trim(), fallback, true);
    }

    /// <summary>Runs <paramref name="match"/> on the value with its variables replaced from the context (their
    /// values as plain text). False when a variable has no value and no default: the value matches nothing.</summary>
    public bool Resolve<TState>(RequestContext context, TState state, ResolvedMatch<TState> match)
    {
        if (!HasVariables)
        {
            return match(Text, Literal, state);
        }

        int length = 0;
        foreach (Part part in _parts)
        {
            string? piece = Piece(part, context);
            if (piece is null)
            {
                return false;
            }

            length += piece.Length;
        }

        char[]? rentedChars = null;
        bool[]? rentedFlags = null;
        Span<char> chars = length <= StackLimit ? stackalloc char[length] : (rentedChars = new char[length]);
        Span<bool> flags = length <= StackLimit ? stackalloc bool[length] : (rentedFlags = new bool[length]);
        int at = 0;
        foreach (Part part in _parts)
        {
            string piece = Piece(part, context)!;
            piece.AsSpan().CopyTo(chars[at..]);
            flags.Slice(at, piece.Length).Fill(part.IsLiteral);
            at += piece.Length;
        }

        return match(chars, flags, state);
    }

    private static string? Piece(Part part, RequestContext context)
    {
        if (part.Key is null)
        {
            return part.Text;
        }

        return context.TryGet(part.Key, out ContextValue? value) && value.Count > 0 ? value[0] : part.Default;
    }

    private sealed record Part(string? Text, string? Key, string? Default, bool IsLiteral);
}

/// <summary>What to do with a resolved template: its characters and which of them are plain text.</summary>
internal delegate bool ResolvedMatch<in TState>(ReadOnlySpan<char> value, ReadOnlySpan<bool> literal, TState state);
