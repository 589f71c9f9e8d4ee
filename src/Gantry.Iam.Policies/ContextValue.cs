using System.Globalization;
using Gantry.Iam.Policies.Conditions;

namespace Gantry.Iam.Policies;

/// <summary>The value(s) of one condition key in a request. Typed readings (number, date, address) are parsed on
/// first use and kept, so a key read by several statements is parsed once per request.</summary>
public sealed class ContextValue
{
    private readonly string[] _values;
    private object?[]? _parsed;

    internal ContextValue(string[] values, bool multiValued)
    {
        _values = values;
        IsMultiValued = multiValued;
    }

    /// <summary>True for keys that carry a set (aws:TagKeys, ecs:subnet…): the ones ForAllValues/ForAnyValue
    /// are for.</summary>
    public bool IsMultiValued { get; }

    /// <summary>How many values the key has (an empty set counts as absent).</summary>
    public int Count => _values.Length;

    /// <summary>The value at <paramref name="index"/>, as text.</summary>
    public string this[int index] => _values[index];

    internal double? Number(int index) => (double?)Parsed(index, ParsedKind.Number);

    internal DateTimeOffset? Date(int index) => (DateTimeOffset?)Parsed(index, ParsedKind.Date);

    internal IpAddressValue? Address(int index) => (IpAddressValue?)Parsed(index, ParsedKind.Address);

    private object? Parsed(int index, ParsedKind kind)
    {
        _parsed ??= new object?[_values.Length * 3];
        int slot = (index * 3) + (int)kind;
        object? cached = _parsed[slot];
        if (cached is not null)
        {
            return cached == Missing ? null : cached;
        }

        string text = _values[index];
        object? parsed = kind switch
        {
            ParsedKind.Number => ConditionValues.ParseNumber(text),
            ParsedKind.Date => ConditionValues.ParseDate(text),
            _ => IpAddressValue.TryParse(text, out IpAddressValue address) ? address : null,
        };
        _parsed[slot] = parsed ?? Missing;
        return parsed;
    }

    private static readonly object Missing = new();

    private enum ParsedKind
    {
        Number,
        Date,
        Address,
    }
}
