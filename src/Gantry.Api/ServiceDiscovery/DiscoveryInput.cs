using System.Globalization;
using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.Domain.Errors;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>The model's constraints on Cloud Map requests, refused with InvalidInput naming the member; and nextToken paging.</summary>
public static partial class DiscoveryInput
{
    public const int MaxPageSize = 100;

    public static string Required(string? value, string field) => string.IsNullOrEmpty(value) ? throw DiscoveryErrors.Missing(field) : value;

    public static T Required<T>(T? value, string field) where T : class => value ?? throw DiscoveryErrors.Missing(field);

    /// <summary>An optional string of at most <paramref name="max"/> characters.</summary>
    public static string? AtMost(string? value, string field, int max) =>
        value is { Length: var length } && length > max ? throw DiscoveryErrors.InvalidInput($"{field} must be at most {max} characters long.") : value;

    /// <summary>A resource id (ResourceId: at most 64 characters), required.</summary>
    public static string Id(string? value, string field) => AtMost(Required(value, field), field, 64)!;

    public static string OneOf(string? value, string field, IReadOnlyList<string> allowed) =>
        value is not null && allowed.Contains(value) ? value
        : throw DiscoveryErrors.InvalidInput($"{field} must be one of {string.Join(", ", allowed)}, got '{value}'.");

    public static long Ttl(long? value, string field) =>
        value is >= 0 and <= int.MaxValue ? value.Value : throw DiscoveryErrors.InvalidInput($"{field} must be from 0 to {int.MaxValue}, got {value?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}.");

    /// <summary>A service name (ServiceName: DNS labels, at most 127 characters, or ".").</summary>
    public static string ServiceName(string? value, string field) =>
        ServiceNamePattern().IsMatch(Required(value, field)) ? value! : throw DiscoveryErrors.InvalidInput($"{field} '{value}' is not a valid service name.");

    /// <summary>A namespace name: 1 to <paramref name="max"/> printable ASCII characters without spaces.</summary>
    public static string NamespaceName(string? value, string field, int max)
    {
        var name = Required(value, field);
        return name.Length <= max && name.All(c => c is >= '!' and <= '~') ? name
            : throw DiscoveryErrors.InvalidInput($"{field} '{name}' must be 1 to {max} printable characters without spaces.");
    }

    /// <summary>An instance id: at most 64 of <c>[0-9a-zA-Z_/:.@-]</c>.</summary>
    public static string InstanceId(string? value, string field) =>
        InstanceIdPattern().IsMatch(Required(value, field)) ? value! : throw DiscoveryErrors.InvalidInput($"{field} '{value}' must be 1 to 64 of 0-9 a-z A-Z _ / : . @ -.");

    /// <summary>MaxResults of a List operation: 1 to <paramref name="max"/>, default <paramref name="max"/> (100).</summary>
    public static int Limit(int? maxResults, int max = MaxPageSize) =>
        maxResults is null ? max
        : maxResults is >= 1 && maxResults <= max ? maxResults.Value
        : throw DiscoveryErrors.InvalidInput($"MaxResults must be from 1 to {max}, got {maxResults}.");

    /// <summary>The store key a NextToken resumes after.</summary>
    public static string? After(string? nextToken)
    {
        try
        {
            return PageToken.Decode(AtMost(nextToken, "NextToken", 4096));
        }
        catch (AwsException e) when (e.Type != "InvalidInput")
        {
            throw DiscoveryErrors.InvalidInput("NextToken is not valid.");
        }
    }

    public static string? Next(string? lastKey) => lastKey is null ? null : PageToken.Encode(lastKey);

    [GeneratedRegex(@"^((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)$")]
    private static partial Regex ServiceNamePattern();

    [GeneratedRegex("^[0-9a-zA-Z_/:.@-]{1,64}$")]
    private static partial Regex InstanceIdPattern();
}
