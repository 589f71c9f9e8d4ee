namespace Gantry.Scheduling.Query;

/// <summary>The comparison operators of the cluster query language.</summary>
internal enum QueryOperator
{
    /// <summary><c>==</c>, <c>equals</c>.</summary>
    Equal,

    /// <summary><c>!=</c>, <c>not_equals</c>.</summary>
    NotEqual,

    /// <summary><c>&gt;</c>, <c>greater_than</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>, <c>greater_than_equal</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>&lt;</c>, <c>less_than</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>, <c>less_than_equal</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>exists</c>.</summary>
    Exists,

    /// <summary><c>!exists</c>, <c>not_exists</c>.</summary>
    NotExists,

    /// <summary><c>in [a, b]</c>.</summary>
    In,

    /// <summary><c>!in [a, b]</c>, <c>not_in [a, b]</c>.</summary>
    NotIn,

    /// <summary><c>=~</c>, <c>matches</c>.</summary>
    Matches,

    /// <summary><c>!~</c>, <c>not_matches</c>.</summary>
    NotMatches,
}
