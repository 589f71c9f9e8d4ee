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

    internal double? Number(int index) => Read(index, Parsed.Number, ref _number, ConditionValues.ParseNumber);

    internal DateTimeOffset? Date(int index) => Read(index, Parsed.Date, ref _date, ConditionValues.ParseDate);

    internal IpAddressValue? Address(int index) => Read(index, Parsed.Address, ref _address, IpAddressValue.Parse);

    /// <summary>A multi-valued key's values are parsed on every read; a single value once.</summary>
    private T? Read<T>(int index, Parsed kind, ref T? cached, Func<string, T?> parse)
        where T : struct
    {
        if (_many is not null)
        {
            return parse(_many[index]);
        }

        if ((_parsed & kind) == 0)
        {
            cached = parse(_single!);
            _parsed |= kind;
        }

        return cached;
    }
}
