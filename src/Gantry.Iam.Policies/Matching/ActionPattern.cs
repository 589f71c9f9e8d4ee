namespace Gantry.Iam.Policies.Matching;

/// <summary>One entry of Action/NotAction, split once: the service prefix and the action name, lowercased, each
/// with its shape (exact, prefix*, *, or general) so most matches are one span comparison.</summary>
internal sealed class ActionPattern
{
    private readonly Segment _service;
    private readonly Segment _name;

    private ActionPattern(Segment service, Segment name)
    {
        _service = service;
        _name = name;
    }

    /// <summary>The lowercase service prefix when it has no wildcard (the index key), else null.</summary>
    public string? Service => _service.Shape is Shape.Exact ? _service.Text : null;

    public static ActionPattern Parse(string action)
    {
        string lower = action.ToLowerInvariant();
        if (lower == "*")
        {
            return new ActionPattern(Segment.Of("*"), Segment.Of("*"));
        }

        int colon = lower.IndexOf(':', StringComparison.Ordinal);
        return new ActionPattern(Segment.Of(lower[..colon]), Segment.Of(lower[(colon + 1)..]));
    }

    public bool Matches(ReadOnlySpan<char> service, ReadOnlySpan<char> name) =>
        _service.Matches(service) && _name.Matches(name);

    private enum Shape
    {
        Any,
        Exact,
        Prefix,
        General,
    }

    private sealed record Segment(string Text, Shape Shape)
    {
        public static Segment Of(string text)
        {
            if (text == "*")
            {
                return new Segment(text, Shape.Any);
            }

            int wild = text.AsSpan().IndexOfAny('*', '?');
            return wild < 0 ? new Segment(text, Shape.Exact)
                : wild == text.Length - 1 && text[wild] == '*' ? new Segment(text[..wild], Shape.Prefix)
                : new Segment(text, Shape.General);
        }

        public bool Matches(ReadOnlySpan<char> value) => Shape switch
        {
            Shape.Any => true,
            Shape.Exact => value.Equals(Text, StringComparison.OrdinalIgnoreCase),
            Shape.Prefix => value.StartsWith(Text, StringComparison.OrdinalIgnoreCase),
            _ => Wildcard.Match(Text, default, value, ignoreCase: true, arn: false),
        };
    }
}
