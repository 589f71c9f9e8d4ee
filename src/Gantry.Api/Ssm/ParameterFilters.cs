using Gantry.Domain.Ssm;
using Gantry.Secrets.Parameters;

namespace Gantry.Api.Ssm;

/// <summary>
/// ParameterFilters (and DescribeParameters' older Filters) as predicates over a parameter's current version:
/// <c>Name</c> (Equals, BeginsWith, Contains), <c>Path</c> (OneLevel, Recursive), <c>Type</c>, <c>KeyId</c>, <c>Tier</c>,
/// <c>DataType</c>, <c>Label</c> (Equals) and <c>tag:&lt;key&gt;</c> (Equals; no values: the key is present). GetParametersByPath
/// takes only Type, KeyId, Label and tags.
/// </summary>
public static class ParameterFilters
{
    private static readonly string[] ByPathKeys = ["Type", "KeyId", "Label"];
    private static readonly string[] DescribeKeys = ["Name", "Path", "Type", "KeyId", "Tier", "DataType", "Label"];

    public static Func<ParameterRecord, bool> Of(IReadOnlyList<ParameterStringFilter>? filters, bool byPath)
    {
        var predicates = (filters ?? []).Select(f => One(f ?? throw ParameterErrors.Validation("ParameterFilters can't hold a null entry."), byPath)).ToList();
        return p => predicates.All(predicate => predicate(p));
    }

    /// <summary>DescribeParameters' Filters (Name, Type, KeyId; Equals).</summary>
    public static Func<ParameterRecord, bool> OfLegacy(IReadOnlyList<ParametersFilter>? filters)
    {
        var predicates = (filters ?? []).Select(f => One(new ParameterStringFilter { Key = f?.Key, Option = "Equals", Values = f?.Values }, byPath: false)).ToList();
        return p => predicates.All(predicate => predicate(p));
    }

    private static Func<ParameterRecord, bool> One(ParameterStringFilter filter, bool byPath)
    {
        var key = filter.Key ?? "";
        var values = SsmInput.Strings(filter.Values, "Values") ?? [];
        var keys = byPath ? ByPathKeys : DescribeKeys;
        if (!key.StartsWith("tag:", StringComparison.Ordinal) && !keys.Contains(key, StringComparer.Ordinal))
        {
            throw ParameterErrors.InvalidFilterKey($"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", keys)}].");
        }
        if (values.Count > 50 || values.Any(v => v.Length is 0 or > 1024))
        {
            throw ParameterErrors.InvalidFilterValue($"The filter {key} has 1 to 50 values of 1 to 1024 characters.");
        }
        if (values.Count == 0 && !key.StartsWith("tag:", StringComparison.Ordinal))
        {
            throw ParameterErrors.InvalidFilterValue($"The filter {key} needs at least one value.");
        }
        var option = filter.Option ?? (key == "Path" ? "OneLevel" : "Equals");
        var allowed = key switch
        {
            "Name" => ["Equals", "BeginsWith", "Contains"],
            "Path" => new[] { "OneLevel", "Recursive" },
            _ => ["Equals"],
        };
        if (!allowed.Contains(option, StringComparer.Ordinal))
        {
            throw ParameterErrors.InvalidFilterOption($"The filter option {option} is not valid for key {key}. Valid options include: [{string.Join(", ", allowed)}].");
        }
        if (key == "Path" && values.Any(v => !v.StartsWith('/')))
        {
            throw ParameterErrors.InvalidFilterValue("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        }
        return key switch
        {
            "Name" => p => values.Any(v => option switch
            {
                "BeginsWith" => p.Name.StartsWith(v, StringComparison.Ordinal) || p.Name.StartsWith("/" + v, StringComparison.Ordinal),
                "Contains" => p.Name.Contains(v, StringComparison.Ordinal),
                _ => p.Name == v || p.Name == "/" + v,
            }),
            "Path" => p => values.Any(v => ParameterNames.UnderPath(p.Name, v, option == "Recursive")),
            "Type" => p => values.Contains(p.Current.Type, StringComparer.Ordinal),
            "KeyId" => p => p.Current.KeyId is { } k && values.Contains(k, StringComparer.Ordinal),
            "Tier" => p => values.Contains(p.Current.Tier, StringComparer.Ordinal),
            "DataType" => p => values.Contains(p.Current.DataType, StringComparer.Ordinal),
            "Label" => p => p.Versions.Any(v => v.Labels.Any(l => values.Contains(l, StringComparer.Ordinal))),
            _ => p => p.Tags.Any(t => t.Key == key[4..] && (values.Count == 0 || values.Contains(t.Value, StringComparer.Ordinal))),
        };
    }
}
