using Gantry.Domain.Errors;

namespace Gantry.Secrets.Parameters;

/// <summary>The Parameter Store error shapes (aws-models/ssm-2014-11-06.json) with AWS's wording; ValidationException is the
/// service-wide validation error SSM answers for malformed names and members.</summary>
public static class ParameterErrors
{
    /// <summary>AWS answers a missing parameter with no message at all; Gantry names it, since every error here carries one.</summary>
    public static AwsException NotFound(string name) => new("ParameterNotFound", $"Parameter {name} not found.");

    public static AwsException VersionNotFound(string name, string selector) =>
        new("ParameterVersionNotFound", $"Systems Manager could not find version {selector} of {name}. Verify the version and try again.");

    public static AwsException AlreadyExists() =>
        new("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");

    public static AwsException Validation(string message) => new("ValidationException", message);

    public static AwsException PatternMismatch(string pattern) =>
        new("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {pattern}");

    public static AwsException InvalidAllowedPattern(string message) => new("InvalidAllowedPatternException", message);

    public static AwsException UnsupportedType(string type) => new("UnsupportedParameterType", $"Parameter type {type} is not supported.");

    public static AwsException InvalidKeyId() =>
        new("InvalidKeyId", "Gantry seals SecureString values with its master key: KeyId must be alias/aws/ssm or left out.");

    public static AwsException MaxVersions(string name, long oldest) =>
        new("ParameterMaxVersionLimitExceeded",
            $"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");

    public static AwsException LabelLimit() =>
        new("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.");

    public static AwsException HierarchyLevels() =>
        new("HierarchyLevelLimitExceededException", "Parameter name: hierarchy can't exceed 15 levels.");

    public static AwsException InvalidResourceId() => new("InvalidResourceId", "The resource ID is not valid. Verify that the resource ID is correct and try again.");

    public static AwsException InvalidResourceType() => new("InvalidResourceType", "The resource type is not valid. Only Parameter is supported by Gantry.");

    public static AwsException InvalidNextToken() => new("InvalidNextToken", "The specified token is not valid.");

    public static AwsException InvalidFilterKey(string message) => new("InvalidFilterKey", message);

    public static AwsException InvalidFilterOption(string message) => new("InvalidFilterOption", message);

    public static AwsException InvalidFilterValue(string message) => new("InvalidFilterValue", message);

    public static AwsException TooManyTags() => new("TooManyTagsError", "The Targets parameter includes too many tags. Remove one or more tags and try the request again.");
}
