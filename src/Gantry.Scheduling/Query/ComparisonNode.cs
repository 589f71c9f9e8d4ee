using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Scheduling.Query;

/// <summary>
/// <c>subject operator [argument]</c>. Positive operators hold when any of the subject's values satisfies them;
/// negative ones when the subject exists and none of its values satisfies the positive form.
/// </summary>
internal sealed record ComparisonNode(
    QuerySubject Subject,
    QueryOperator Operator,
    IReadOnlyList<string> Arguments,
    Regex? Pattern) : QueryNode
{
    public override bool Evaluate(Candidate candidate)
    {
        IReadOnlyList<string> values = Subject.ValuesOf(candidate);
        return Operator switch
        {
            QueryOperator.Exists => values.Count > 0,
            QueryOperator.NotExists => values.Count == 0,
            QueryOperator.Equal => values.Any(v => Compare(v, Arguments[0]) == 0),
            QueryOperator.NotEqual => values.Count > 0 && !values.Any(v => Compare(v, Arguments[0]) == 0),
            QueryOperator.GreaterThan => values.Any(v => Compare(v, Arguments[0]) > 0),
            QueryOperator.GreaterThanOrEqual => values.Any(v => Compare(v, Arguments[0]) >= 0),
            QueryOperator.LessThan => values.Any(v => Compare(v, Arguments[0]) < 0),
            QueryOperator.LessThanOrEqual => values.Any(v => Compare(v, Arguments[0]) <= 0),
            QueryOperator.In => values.Any(IsListed),
            QueryOperator.NotIn => values.Count > 0 && !values.Any(IsListed),
            QueryOperator.Matches => values.Any(IsMatch),
            QueryOperator.NotMatches => values.Count > 0 && !values.Any(IsMatch),
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        QueryOperator.Exists => $"{Subject} exists",
        QueryOperator.NotExists => $"{Subject} !exists",
        QueryOperator.In => $"{Subject} in [{string.Join(", ", Arguments)}]",
        QueryOperator.NotIn => $"{Subject} not_in [{string.Join(", ", Arguments)}]",
        _ => $"{Subject} {Symbol(Operator)} {Arguments[0]}",
    };

    /// <summary>Numeric comparison when both sides are numbers, ordinal otherwise.</summary>
    internal static int Compare(string left, string right)
    {
        const NumberStyles Number = NumberStyles.Float;
        if (decimal.TryParse(left, Number, CultureInfo.InvariantCulture, out decimal l)
            && decimal.TryParse(right, Number, CultureInfo.InvariantCulture, out decimal r))
        {
            return l.CompareTo(r);
        }

        return string.CompareOrdinal(left, right);
    }

    private static string Symbol(QueryOperator op) => op switch
    {
        QueryOperator.Equal => "==",
        QueryOperator.NotEqual => "!=",
        QueryOperator.GreaterThan => ">",
        QueryOperator.GreaterThanOrEqual => ">=",
        QueryOperator.LessThan => "<",
        QueryOperator.LessThanOrEqual => "<=",
        QueryOperator.Matches => "=~",
        _ => "!~",
    };

    private bool IsListed(string value) => Arguments.Any(a => Compare(value, a) == 0);

    private bool IsMatch(string value)
    {
        try
        {
            return Pattern!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
