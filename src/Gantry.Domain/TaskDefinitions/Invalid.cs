using Gantry.Domain.Errors;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>The errors task definition validation raises; every message starts with the field path.</summary>
internal static class Invalid
{
    /// <summary>ECS answers most task definition mistakes with ClientException.</summary>
    public static AwsException Client(string field, string problem) => EcsErrors.Client($"Invalid '{field}': {problem}");

    /// <summary>Values outside an enum or a numeric range are InvalidParameterException.</summary>
    public static AwsException Parameter(string field, string problem) => EcsErrors.InvalidParameter($"Invalid '{field}': {problem}");

    /// <summary>A definition member Gantry does not implement yet: ClientException, as for every other definition problem.</summary>
    public static AwsException Unsupported(string field) => EcsErrors.Client(EcsErrors.NotSupportedYet(field));

    public static void OneOf(string? value, IReadOnlyList<string> allowed, string field)
    {
        if (value is not null && !allowed.Contains(value))
        {
            throw Parameter(field, $"'{value}' is not one of {string.Join(", ", allowed)}.");
        }
    }

    public static void Range(int? value, int min, int max, string field)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw Parameter(field, $"{v} is outside the allowed range {min}-{max}.");
        }
    }
}
