namespace Gantry.Domain.Errors;

/// <summary>The CloudWatch Logs error shapes (aws-models/cloudwatch-logs-2014-03-28.json) with the messages Logs writes.</summary>
public static class LogsErrors
{
    public static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsException GroupNotFound() => new("ResourceNotFoundException", "The specified log group does not exist.");

    public static AwsException StreamNotFound() => new("ResourceNotFoundException", "The specified log stream does not exist.");

    public static AwsException GroupExists() => new("ResourceAlreadyExistsException", "The specified log group already exists");

    public static AwsException StreamExists() => new("ResourceAlreadyExistsException", "The specified log stream already exists");
}
