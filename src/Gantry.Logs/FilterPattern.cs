namespace Gantry.Logs;

/// <summary>
/// A CloudWatch Logs filter pattern for unstructured events, as FilterLogEvents takes it. Terms separated
/// by spaces must all occur (<c>ERROR Exception</c>); <c>"an exact phrase"</c> is one term; <c>?term</c>
/// terms match when at least one of them occurs (<c>?ERROR ?WARN</c>); <c>-term</c> terms must not occur
/// (<c>ERROR -Exiting</c>). Matching is case-sensitive and by substring: <c>ERROR</c> matches
/// "Exiting with ERRORCODE: -1". Unquoted terms are letters, digits and underscores; anything else goes in
/// double quotes (inside them, <c>\"</c> and <c>\\</c> escape). JSON (<c>{ $.x = 1 }</c>), space-delimited
/// (<c>[a, b]</c>) and regular-expression (<c>%re%</c>) patterns are rejected as not supported.
/// </summary>
/// <remarks>
/// AWS documents all-plain, all-<c>?</c> and plain-with-<c>-</c> patterns but not their mixture; Gantry reads
/// any mixture as: every plain term, and at least one <c>?</c> term when there are some, and no <c>-</c> term.
/// </remarks>
public sealed class FilterPattern
{
    private FilterPattern(string text, string[] required, string[] anyOf, string[] excluded)
    {
        Text = text;
        Required = required;
        AnyOf = anyOf;
        Excluded = excluded;
    }

    /// <summary>The pattern that matches every event (the empty pattern).</summary>
    public static FilterPattern All { get; } = new("", [], [], []);

    /// <summary>The pattern as it was written.</summary>
    public string Text { get; }

    /// <summary>True when every message matches, so a search needs not read messages.</summary>
    public bool MatchesAll => Required.Count == 0 && AnyOf.Count == 0 && Excluded.Count == 0;

    /// <summary>Literals that every matching message contains.</summary>
    internal IReadOnlyList<string> Required { get; }

    /// <summary>Literals of which a matching message contains at least one (none: no such condition).</summary>
    internal IReadOnlyList<string> AnyOf { get; }

    /// <summary>Literals that no matching message contains.</summary>
    internal IReadOnlyList<string> Excluded { get; }

    /// <summary>Parses <paramref name="text"/>; null, empty or blank matches everything.</summary>
    /// <exception cref="FormatException">The pattern is malformed or of an unsupported kind.</exception>
    public static FilterPattern Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }
        var required = new List<string>();
        var anyOf = new List<string>();
        var excluded = new List<string>();
        var anyOfAlwaysTrue = false;
        foreach (var term in FilterPatternLexer.Terms(text))
        {
            switch (term.Kind)
            {
                case FilterTermKind.Required when term.Literal.Length > 0:
                    AddOnce(required, term.Literal);
                    break;
                case FilterTermKind.AnyOf:
                    anyOfAlwaysTrue |= term.Literal.Length == 0;
                    AddOnce(anyOf, term.Literal);
                    break;
                case FilterTermKind.Excluded:
                    AddOnce(excluded, term.Literal);
                    break;
            }
        }
        if (anyOfAlwaysTrue)
        {
            anyOf.Clear();
        }
        return new FilterPattern(text, [.. required], [.. anyOf], [.. excluded]);
    }

    /// <summary>Whether <paramref name="message"/> matches the pattern.</summary>
    public bool Matches(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var literal in Required)
        {
            if (!message.Contains(literal, StringComparison.Ordinal))
            {
                return false;
            }
        }
        foreach (var literal in Excluded)
        {
            if (message.Contains(literal, StringComparison.Ordinal))
            {
                return false;
            }
        }
        if (AnyOf.Count == 0)
        {
            return true;
        }
        foreach (var literal in AnyOf)
        {
            if (message.Contains(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => Text;

    private static void AddOnce(List<string> literals, string literal)
    {
        if (!literals.Contains(literal, StringComparer.Ordinal))
        {
            literals.Add(literal);
        }
    }
}
