namespace Gantry.Iam.Policies.Matching;

/// <summary>One entry of Resource/NotResource: "*", an exact ARN, an ARN ending in one '*' (a prefix), or a general
/// pattern (wildcards inside segments, policy variables). Case-sensitive.</summary>
internal sealed class ResourcePattern
{
    private readonly Template _template;
    private readonly Shape _shape;
    private readonly string _prefix;

    public ResourcePattern(string resource, bool variables)
    {
        _template = Template.Parse(resource, variables);
        string text = _template.Text;
        _prefix = text;
        if (_template.HasVariables || _template.Literal is not null)
        {
            _shape = Shape.General;
        }
        else if (text == "*")
        {
            _shape = Shape.Any;
        }
        else
        {
            int wild = text.AsSpan().IndexOfAny('*', '?');
            _shape = wild < 0 ? Shape.Exact : wild == text.Length - 1 && text[wild] == '*' ? Shape.Prefix : Shape.General;
            if (_shape == Shape.Prefix)
            {
                _prefix = text[..wild];
            }
        }
    }

    private enum Shape
    {
        Any,
        Exact,
        Prefix,
        General,
    }

    public bool Matches(string resource, RequestContext context) => _shape switch
    {
        Shape.Any => true,
        Shape.Exact => string.Equals(resource, _prefix, StringComparison.Ordinal),
        Shape.Prefix => resource.StartsWith(_prefix, StringComparison.Ordinal),
        _ => _template.Resolve(context, resource,
            static (pattern, literal, text) => Wildcard.Match(pattern, literal, text, ignoreCase: false, arn: true)),
    };
}
