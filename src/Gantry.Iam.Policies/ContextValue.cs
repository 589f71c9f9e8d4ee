using Gantry.Iam.Policies.Conditions;

namespace Gantry.Iam.Policies;

/// <summary>The value(s) of one condition key in a request. For a single value, its typed readings (number, date,
/// address) are parsed on first use and kept, so a key read by several statements is parsed once per request.</summary>
public sealed class ContextValue
{
    private readonly string? _single;
    private readonly string[]? _many;
    private Parsed _parsed;
    private double? _number;
    private DateTimeOffset? _date;
    private IpAddressValue? _address;

    internal ContextValue(string single) => _single = single;

    internal ContextValue(string[] many) => _many = many;

    [Flags]
    private enum Parsed : byte
    {
        None = 0,
        Number = 1,
        Date = 2,
        Address = 4,
    }

    /// <summary>True for keys that carry a set (aws:TagKeys, ecs:subnet…): the ones ForAllValues/ForAnyValue
    /// are for.</summary>
    public bool IsMultiValued => _many is not null;

    /// <summary>How many values the key has (an empty set counts as absent).</summary>
    public int Count => _many?.Length ?? 1;

    /// <summary>The value at <paramref name="index"/>, as text.</summary>
    public string this[int index] => _many is null ? (index == 0 ? _single! : throw new ArgumentOutOfRangeException(nameof(index))) : _many[index];

    internal double? Number(int index)
    {
        if (_many is not null)
        {
            return ConditionValues.ParseNumber(_many[index]);
        }

        if ((_parsed & Parsed.Number) == 0)
        {
            _number = ConditionValues.ParseNumber(_single!);
            _parsed |= Parsed.Number;
        }

        return _number;
    }

    internal DateTimeOffset? Date(int index)
    {
        if (_many is not null)
        {
            return ConditionValues.ParseDate(_many[index]);
        }

        if ((_parsed & Parsed.Date) == 0)
        {
            _date = ConditionValues.ParseDate(_single!);
            _parsed |= Parsed.Date;
        }

        return _date;
    }

    internal IpAddressValue? Address(int index)
    {
        if (_many is not null)
        {
            return IpAddressValue.TryParse(_many[index], out IpAddressValue one) ? one : null;
        }

        if ((_parsed & Parsed.Address) == 0)
        {
            _address = IpAddressValue.TryParse(_single, out IpAddressValue parsed) ? parsed : null;
            _parsed |= Parsed.Address;
        }

        return _address;
    }
}
