using System.Text.Json;

namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>
/// One JSON object of a lifecycle policy, read strictly: unknown or repeated members are refused, and every accessor
/// checks the JSON type, naming the member by its path in the error.
/// </summary>
internal sealed class PolicyObject
{
    private readonly Dictionary<string, JsonElement> _members = new(StringComparer.Ordinal);

    private PolicyObject(string path) => Path = path;

    public string Path { get; }

    public static PolicyObject Read(JsonElement element, string path, IReadOnlyCollection<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw InvalidPolicy.Because($"{path} must be a JSON object.");
        }
        var result = new PolicyObject(path);
        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name))
            {
                throw InvalidPolicy.Because($"{result.Name(member.Name)} is not an allowed property (allowed: {string.Join(", ", allowed)}).");
            }
            if (!result._members.TryAdd(member.Name, member.Value))
            {
                throw InvalidPolicy.Because($"{result.Name(member.Name)} appears more than once.");
            }
        }
        return result;
    }

    public string Name(string member) => Path.Length == 0 ? member : $"{Path}.{member}";

    public bool Has(string member) => _members.ContainsKey(member);

    public JsonElement Required(string member) =>
        _members.TryGetValue(member, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw InvalidPolicy.Because($"{Name(member)} is required.");

    public int RequiredInt(string member, int minimum)
    {
        var value = Required(member);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw InvalidPolicy.Because($"{Name(member)} must be an integer.");
        }
        return number >= minimum ? number : throw InvalidPolicy.Because($"{Name(member)} must be at least {minimum}, got {number}.");
    }

    public string RequiredString(string member) => AsString(Required(member), Name(member));

    public string? OptionalString(string member) =>
        _members.TryGetValue(member, out var value) && value.ValueKind != JsonValueKind.Null ? AsString(value, Name(member)) : null;

    public T RequiredEnum<T>(string member, IReadOnlyDictionary<string, T> values)
    {
        var text = RequiredString(member);
        return values.TryGetValue(text, out var value)
            ? value
            : throw InvalidPolicy.Because($"{Name(member)} '{text}' is not one of {string.Join(", ", values.Keys)}.");
    }

    /// <summary>A list of non-empty strings; absent (or null) is an empty list, present but empty is refused.</summary>
    public IReadOnlyList<string> OptionalStringList(string member)
    {
        if (!_members.TryGetValue(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw InvalidPolicy.Because($"{Name(member)} must be a list of strings.");
        }
        var items = value.EnumerateArray().Select((item, i) => AsString(item, $"{Name(member)}[{i}]")).ToList();
        if (items.Count == 0)
        {
            throw InvalidPolicy.Because($"{Name(member)} must not be empty.");
        }
        var blank = items.FindIndex(string.IsNullOrEmpty);
        return blank < 0 ? items : throw InvalidPolicy.Because($"{Name(member)}[{blank}] must not be an empty string.");
    }

    private static string AsString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw InvalidPolicy.Because($"{name} must be a string.");
}
