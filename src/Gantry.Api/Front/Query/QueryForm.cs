using Microsoft.AspNetCore.WebUtilities;

namespace Gantry.Api.Front.Query;

/// <summary>
/// The parameters of an awsQuery request (<c>application/x-www-form-urlencoded</c>: a POST body or a GET query). Their
/// names are kept sorted so that "is there a parameter <c>Names.member.3</c> or below it" is a binary search, without
/// materialising every dotted prefix of every name (which a hostile name with many dots would make quadratic).
/// </summary>
internal sealed class QueryForm
{
    private readonly Dictionary<string, string> _values;
    private readonly string[] _names;

    private QueryForm(Dictionary<string, string> values)
    {
        _values = values;
        _names = [.. values.Keys];
        Array.Sort(_names, StringComparer.Ordinal);
    }

    /// <summary>Parses <c>a=1&amp;b.member.1=x</c>; a name given twice keeps its first value.</summary>
    public static QueryForm Parse(string encoded) =>
        new(QueryHelpers.ParseQuery(encoded).ToDictionary(pair => pair.Key, pair => pair.Value[0] ?? "", StringComparer.Ordinal));

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>Whether a parameter is named <paramref name="path"/> or starts with <c>path.</c>.</summary>
    public bool Has(string path)
    {
        if (_values.ContainsKey(path))
        {
            return true;
        }
        var below = path + ".";
        var index = Array.BinarySearch(_names, below, StringComparer.Ordinal);
        var first = index >= 0 ? index : ~index;
        return first < _names.Length && _names[first].StartsWith(below, StringComparison.Ordinal);
    }
}
