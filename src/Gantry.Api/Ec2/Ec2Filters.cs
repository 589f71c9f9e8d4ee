using System.Text.RegularExpressions;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>
/// The filters one Describe operation accepts (<c>Filter.N.Name</c>/<c>Filter.N.Value.M</c>): each name reads some values of a
/// resource; a resource passes a filter when one of its values matches one of the filter's (<c>*</c> and <c>?</c> are
/// wildcards), and passes the request when it passes every filter. <c>tag:Key</c>, <c>tag-key</c> and <c>tag-value</c> come
/// with every set that has tags. An unknown name is EC2's InvalidParameterValue.
/// </summary>
internal sealed class Ec2Filters<T>(IReadOnlyDictionary<string, Func<T, IEnumerable<string?>>> fields, Func<T, IReadOnlyList<NetworkTag>>? tags = null)
{
    public Func<T, bool> Compile(IReadOnlyList<Ec2Filter>? filters)
    {
        var tests = (filters ?? []).Select(Test).ToList();
        return resource => tests.TrueForAll(test => test(resource));
    }

    private Func<T, bool> Test(Ec2Filter filter)
    {
        var name = filter.Name ?? "";
        var patterns = (filter.Values ?? []).Select(Pattern).ToList();
        bool Any(IEnumerable<string?> values) => values.Any(v => v is not null && patterns.Exists(p => p.IsMatch(v)));
        if (fields.TryGetValue(name, out var field))
        {
            return r => Any(field(r));
        }
        if (tags is not null && name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name["tag:".Length..];
            return r => Any(tags(r).Where(t => t.Key == key).Select(t => t.Value));
        }
        return (tags, name) switch
        {
            ({ } read, "tag-key") => r => Any(read(r).Select(t => t.Key)),
            ({ } read, "tag-value") => r => Any(read(r).Select(t => t.Value)),
            _ => throw NetworkErrors.Invalid($"The filter '{name}' is invalid"),
        };
    }

    private static Regex Pattern(string value) =>
        new("^" + Regex.Escape(value).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}

/// <summary>Filter values as EC2 writes them.</summary>
internal static class FilterValues
{
    public static IEnumerable<string?> Of(params string?[] values) => values;

    public static IEnumerable<string?> Of(bool value) => [value ? "true" : "false"];

    public static IEnumerable<string?> Of(int? value) => [value?.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
