using Microsoft.AspNetCore.WebUtilities;

namespace Gantry.Api.Front.Query;

/// <summary>
/// The parameters of an awsQuery request (<c>application/x-www-form-urlencoded</c>: a POST body or a GET query), with
/// every dotted prefix of their names, so that "is there a list entry <c>Names.member.3</c>" is one lookup.
/// </summary>
internal sealed class QueryForm
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    private QueryForm(Dictionary<string, string> values)
    {
        _values = values;
        foreach (var name in values.Keys)
        {
            _paths.Add(name);
            for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = name.IndexOf('.', dot + 1))
            {
                _paths.Add(name[..dot]);
            }
        }
    }

    /// <summary>Parses <c>a=1&amp;b.member.1=x</c>; a name given twice keeps its first value.</summary>
    public static QueryForm Parse(string encoded) =>
        new(QueryHelpers.ParseQuery(encoded).ToDictionary(pair => pair.Key, pair => pair.Value[0] ?? "", StringComparer.Ordinal));

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>Whether a parameter is named <paramref name="path"/> or starts with <c>path.</c>.</summary>
    public bool Has(string path) => _paths.Contains(path);
}
