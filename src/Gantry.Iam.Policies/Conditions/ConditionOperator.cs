namespace Gantry.Iam.Policies.Conditions;

/// <summary>What a condition operator compares: its family, the comparison for numbers and dates, and whether it
/// is negated ("Not" operators: true when the request value matches none of the policy values).</summary>
internal readonly record struct ConditionOperator(OperatorFamily Family, Comparison Comparison, bool Negated)
{
    private static readonly Dictionary<string, ConditionOperator> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["StringEquals"] = new(OperatorFamily.String, Comparison.Equal, false),
        ["StringNotEquals"] = new(OperatorFamily.String, Comparison.Equal, true),
        ["StringEqualsIgnoreCase"] = new(OperatorFamily.StringIgnoreCase, Comparison.Equal, false),
        ["StringNotEqualsIgnoreCase"] = new(OperatorFamily.StringIgnoreCase, Comparison.Equal, true),
        ["StringLike"] = new(OperatorFamily.StringLike, Comparison.Equal, false),
        ["StringNotLike"] = new(OperatorFamily.StringLike, Comparison.Equal, true),
        ["NumericEquals"] = new(OperatorFamily.Numeric, Comparison.Equal, false),
        ["NumericNotEquals"] = new(OperatorFamily.Numeric, Comparison.Equal, true),
        ["NumericLessThan"] = new(OperatorFamily.Numeric, Comparison.Less, false),
        ["NumericLessThanEquals"] = new(OperatorFamily.Numeric, Comparison.LessOrEqual, false),
        ["NumericGreaterThan"] = new(OperatorFamily.Numeric, Comparison.Greater, false),
        ["NumericGreaterThanEquals"] = new(OperatorFamily.Numeric, Comparison.GreaterOrEqual, false),
        ["DateEquals"] = new(OperatorFamily.Date, Comparison.Equal, false),
        ["DateNotEquals"] = new(OperatorFamily.Date, Comparison.Equal, true),
        ["DateLessThan"] = new(OperatorFamily.Date, Comparison.Less, false),
        ["DateLessThanEquals"] = new(OperatorFamily.Date, Comparison.LessOrEqual, false),
        ["DateGreaterThan"] = new(OperatorFamily.Date, Comparison.Greater, false),
        ["DateGreaterThanEquals"] = new(OperatorFamily.Date, Comparison.GreaterOrEqual, false),
        ["Bool"] = new(OperatorFamily.Bool, Comparison.Equal, false),
        ["BinaryEquals"] = new(OperatorFamily.Binary, Comparison.Equal, false),
        ["IpAddress"] = new(OperatorFamily.IpAddress, Comparison.Equal, false),
        ["NotIpAddress"] = new(OperatorFamily.IpAddress, Comparison.Equal, true),
        ["ArnEquals"] = new(OperatorFamily.Arn, Comparison.Equal, false),
        ["ArnLike"] = new(OperatorFamily.Arn, Comparison.Equal, false),
        ["ArnNotEquals"] = new(OperatorFamily.Arn, Comparison.Equal, true),
        ["ArnNotLike"] = new(OperatorFamily.Arn, Comparison.Equal, true),
        ["Null"] = new(OperatorFamily.Null, Comparison.Equal, false),
    };

    public static bool TryParse(string name, out ConditionOperator op) => Table.TryGetValue(name, out op);
}

internal enum OperatorFamily
{
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

internal enum Comparison
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>The set operator before a condition operator.</summary>
internal enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}
