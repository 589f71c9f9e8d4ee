namespace Gantry.Agent.Logs;

/// <summary>An awslogs log option is missing, unknown or has a value the driver does not accept.</summary>
public sealed class AwslogsOptionException : Exception
{
    public AwslogsOptionException()
    {
        OptionName = "";
    }

    public AwslogsOptionException(string message)
        : base(message)
    {
        OptionName = "";
    }

    public AwslogsOptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        OptionName = "";
    }

    public AwslogsOptionException(string optionName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        OptionName = optionName;
    }

    /// <summary>The option at fault (e.g. <c>awslogs-group</c>).</summary>
    public string OptionName { get; }
}
