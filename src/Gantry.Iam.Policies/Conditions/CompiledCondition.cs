using Gantry.Iam.Policies.Matching;

namespace Gantry.Iam.Policies.Conditions;

/// <summary>
/// One key under one operator of a Condition block, with its policy values read once for the operator's type.
/// Several values are OR (negated operators: the request value must match none); a missing key is false, true for
/// negated operators and for <c>…IfExists</c>; <c>ForAllValues:</c> needs every request value to match (true when
/// the key is absent), <c>ForAnyValue:</c> one (false when absent).
/// </summary>
internal sealed class CompiledCondition
{
    private readonly ConditionOperator _op;
    private readonly SetQualifier _qualifier;
    private readonly bool _ifExists;
    private readonly string _key;
    private readonly Template[] _texts;
    private readonly double?[] _numbers;
    private readonly DateTimeOffset?[] _dates;
    private readonly IpRange?[] _ranges;

    public CompiledCondition(ConditionOperator op, SetQualifier qualifier, bool ifExists, string key,
        IReadOnlyList<string> values, bool variables)
    {
        _op = op;
        _qualifier = qualifier;
        _ifExists = ifExists;
        _key = key;
        bool substitutes = variables && op.Family is OperatorFamily.String or OperatorFamily.StringIgnoreCase
            or OperatorFamily.StringLike or OperatorFamily.Arn;
        _texts = [.. values.Select(v => Template.Parse(v, substitutes))];
        _numbers = op.Family == OperatorFamily.Numeric ? [.. values.Select(ConditionValues.ParseNumber)] : [];
        _dates = op.Family == OperatorFamily.Date ? [.. values.Select(ConditionValues.ParseDate)] : [];
        _ranges = op.Family == OperatorFamily.IpAddress
            ? [.. values.Select(v => IpRange.TryParse(v, out IpRange r) ? r : (IpRange?)null)]
            : [];
    }

    public bool Evaluate(RequestContext context)
    {
        bool present = context.TryGet(_key, out ContextValue? value) && value.Count > 0;
        if (_op.Family == OperatorFamily.Null)
        {
            foreach (Template expected in _texts)
            {
                if (string.Equals(expected.Text, present ? "false" : "true", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        if (!present)
        {
            return _ifExists || _qualifier == SetQualifier.ForAllValues
                || (_qualifier == SetQualifier.None && _op.Negated);
        }

        bool all = _qualifier == SetQualifier.ForAllValues || (_qualifier == SetQualifier.None && _op.Negated);
        for (int i = 0; i < value!.Count; i++)
        {
            bool one = MatchesAny(context, value, i) != _op.Negated;
            if (one != all)
            {
                return one;
            }
        }

        return all;
    }

    private bool MatchesAny(RequestContext context, ContextValue value, int index)
    {
        for (int j = 0; j < _texts.Length; j++)
        {
            if (Test(context, j, value, index))
            {
                return true;
            }
        }

        return false;
    }

    private bool Test(RequestContext context, int j, ContextValue value, int index)
    {
        switch (_op.Family)
        {
            case OperatorFamily.Numeric:
                double? number = value.Number(index);
                return _numbers[j] is double n && number is double v && Compare(v.CompareTo(n));
            case OperatorFamily.Date:
                DateTimeOffset? date = value.Date(index);
                return _dates[j] is DateTimeOffset d && date is DateTimeOffset w && Compare(w.CompareTo(d));
            case OperatorFamily.IpAddress:
                return _ranges[j] is IpRange range && value.Address(index) is IpAddressValue address
                    && range.Contains(address);
            case OperatorFamily.Bool:
                return string.Equals(_texts[j].Text, value[index], StringComparison.OrdinalIgnoreCase);
            default:
                return _texts[j].Resolve(context, (value[index], _op.Family), static (pattern, literal, state) =>
                    state.Item2 switch
                    {
                        OperatorFamily.StringIgnoreCase => pattern.Equals(state.Item1, StringComparison.OrdinalIgnoreCase),
                        OperatorFamily.StringLike => Wildcard.Match(pattern, literal, state.Item1, ignoreCase: false, arn: false),
                        OperatorFamily.Arn => ArnLike.Match(pattern, literal, state.Item1),
                        _ => pattern.SequenceEqual(state.Item1),
                    });
        }
    }

    private bool Compare(int order) => _op.Comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        _ => order >= 0,
    };
}
