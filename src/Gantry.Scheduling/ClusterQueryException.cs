namespace Gantry.Scheduling;

/// <summary>
/// A cluster query language expression that cannot be parsed. The message names the position (0-based character
/// offset) and what was found there; the API turns it into <c>InvalidParameterException</c>.
/// </summary>
public sealed class ClusterQueryException : Exception
{
    public ClusterQueryException()
    {
    }

    public ClusterQueryException(string message) : base(message)
    {
    }

    public ClusterQueryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <param name="message">What is wrong, naming the offending token.</param>
    /// <param name="position">The 0-based character offset in the expression.</param>
    public ClusterQueryException(string message, int position) : base(message)
    {
        Position = position;
    }

    /// <summary>The 0-based character offset of the error in the expression, when known.</summary>
    public int? Position { get; }
}
