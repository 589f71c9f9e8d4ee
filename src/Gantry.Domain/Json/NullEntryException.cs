using System.Text.Json;

namespace Gantry.Domain.Json;

/// <summary>A list element or map value that is JSON <c>null</c>; <see cref="Entry"/> is its index or key, as in <c>[0]</c> or <c>['a']</c>.</summary>
public sealed class NullEntryException(string entry, string message) : JsonException(message)
{
    public string Entry { get; } = entry;
}
