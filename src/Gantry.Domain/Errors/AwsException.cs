namespace Gantry.Domain.Errors;

/// <summary>
/// A failure that reaches the caller as an AWS error body: <c>{"__type": Type, "message": Message}</c>.
/// The HTTP status is not chosen here: the API's error table maps each type to its status.
/// </summary>
public class AwsException(string type, string message) : Exception(message)
{
    /// <summary>The AWS error shape name, e.g. <c>InvalidParameterException</c>.</summary>
    public string Type { get; } = type;
}
