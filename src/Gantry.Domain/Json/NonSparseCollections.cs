using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gantry.Domain.Json;

/// <summary>
/// Refuses <c>null</c> as a list element or map value while binding a request. None of the AWS models Gantry serves
/// marks a collection <c>@sparse</c>, so a null entry is a serialization error (as in Smithy's server SDKs), not a value
/// for a handler to trip over. The check runs when the bound collection is assigned to its member, over the elements
/// already in memory: the body is read once.
/// </summary>
public static class NonSparseCollections
{
    /// <summary>Copies <paramref name="options"/> with the refusal added to its contract.</summary>
    public static JsonSerializerOptions Refusing(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var strict = new JsonSerializerOptions(options)
        {
            TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Modify),
        };
        strict.MakeReadOnly();
        return strict;
    }

    private static void Modify(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in type.Properties)
        {
            if (property.Set is { } set && property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                property.Set = (owner, value) =>
                {
                    ThrowOnNullEntry(value);
                    set(owner, value);
                };
            }
        }
    }

    private static void ThrowOnNullEntry(object? collection)
    {
        switch (collection)
        {
            case IList list when list.IndexOf(null) is var index and >= 0:
                throw new NullEntryException($"[{index.ToString(CultureInfo.InvariantCulture)}]", "A list element is null; list elements must not be null.");
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is null)
                    {
                        throw new NullEntryException($"['{entry.Key}']", "A map value is null; map values must not be null.");
                    }
                }
                break;
        }
    }
}
