using System.Globalization;
using Gantry.Domain.Errors;

namespace Gantry.Api.Elbv2;

/// <summary>The errors of the target group operations, in ELB's codes (the model's shape names) and wording.</summary>
internal static class TargetGroupErrors
{
    public const string ValidationErrorType = "ValidationError";

    public static AwsException Validation(string message) => new(ValidationErrorType, message);

    /// <summary>ELB's constraint wording for a member out of range, e.g. <c>Value '3' at 'healthCheckIntervalSeconds' ...</c>.</summary>
    public static AwsException Range(string member, long value, long min, long max) => Validation(string.Create(CultureInfo.InvariantCulture,
        $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {(value < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}"));

    /// <summary>ELB's wording for a value outside an enum.</summary>
    public static AwsException Enum(string member, string value, IEnumerable<string> allowed) => Validation(
        $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");

    public static AwsException NotFound() => new("TargetGroupNotFoundException", "One or more target groups not found");

    public static AwsException LoadBalancerNotFound() => new("LoadBalancerNotFoundException", "One or more load balancers not found");

    public static AwsException Duplicate(string name) =>
        new("DuplicateTargetGroupNameException", $"A target group with the same name '{name}' exists, but with different settings");

    public static AwsException InUse(string arn) => new("ResourceInUseException", $"Target group '{arn}' is currently in use by a listener or a rule");

    public static AwsException InvalidTarget(string message) => new("InvalidTargetException", message);

    public static AwsException TooManyTargets(int limit) =>
        new("TooManyTargetsException", string.Create(CultureInfo.InvariantCulture, $"You have reached the maximum number of targets per target group: {limit}"));

    public static AwsException InvalidConfiguration(string message) => new("InvalidConfigurationRequestException", message);
}
