using Gantry.Domain.Errors;

namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>The one error lifecycle policy validation raises, worded the way ECR words it.</summary>
internal static class InvalidPolicy
{
    public const string ErrorType = "InvalidParameterException";

    /// <summary><paramref name="problem"/> names the offending field by its JSON path, e.g. <c>rules[0].selection.countUnit</c>.</summary>
    public static AwsException Because(string problem) =>
        new(ErrorType, $"Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {problem}'");
}
