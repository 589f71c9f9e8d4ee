using Gantry.Scheduling.Query;

namespace Gantry.Scheduling;

/// <summary>
/// A parsed ECS cluster query language expression (<c>subject operator [argument]</c>, combined with
/// <c>and</c>/<c>&amp;&amp;</c>, <c>or</c>/<c>||</c>, <c>not</c>/<c>!</c> and parentheses), as used by
/// <c>memberOf</c> constraints and the <c>ListContainerInstances</c> filter.
/// </summary>
/// <remarks>
/// Subjects: <c>attribute:NAME</c>, <c>ec2InstanceId</c>, <c>agentConnected</c> (<c>true</c>/<c>false</c>),
/// <c>runningTasksCount</c>, <c>task:group</c> (the groups of the instance's tasks; true when any matches).
/// <c>agentVersion</c> and <c>registeredAt</c> are rejected: a <see cref="Candidate"/> does not carry them.
/// Comparisons are numeric when both sides parse as numbers, otherwise ordinal string comparisons. <c>=~</c>/<c>!~</c>
/// take a regular expression matched against the whole value; a pattern that is not a valid regular expression but
/// contains <c>*</c> is read as a wildcard pattern (<c>*.large</c>). A subject the instance lacks satisfies only
/// <c>!exists</c>: the negative operators (<c>!=</c>, <c>not_in</c>, <c>!~</c>) also need the subject to exist, so
/// "no task of group X here" is written <c>not(task:group == X)</c>.
/// </remarks>
public sealed class ClusterQuery
{
    /// <summary>The longest expression ECS accepts.</summary>
    public const int MaxLength = 2000;

    private readonly QueryNode _root;

    private ClusterQuery(string expression, QueryNode root)
    {
        Expression = expression;
        _root = root;
    }

    /// <summary>The expression text as given.</summary>
    public string Expression { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="ClusterQueryException">The expression is empty, too long or malformed; the message names the
    /// position and token.</exception>
    public static ClusterQuery Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            throw new ClusterQueryException(
                $"The expression is {expression.Length} characters long; at most {MaxLength} are allowed.", MaxLength);
        }

        return new ClusterQuery(expression, ClusterQueryParser.Parse(expression));
    }

    /// <summary>Whether the container instance satisfies the expression.</summary>
    public bool Evaluate(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return _root.Evaluate(candidate);
    }

    /// <summary>The expression with explicit parentheses, showing how it was grouped.</summary>
    public string ToCanonicalString() => _root.ToString();

    /// <inheritdoc />
    public override string ToString() => Expression;
}
