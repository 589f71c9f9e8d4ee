using System.Buffers.Binary;

namespace Gantry.Dns.Wire;

/// <summary>
/// Writes a DNS message into a span, never past <see cref="Limit"/>: every Try method writes all or nothing, so a
/// record that does not fit leaves the message whole (truncation keeps whole records). Names are compressed
/// (RFC 1035 4.1.4) against every name written before, compared case-insensitively.
/// </summary>
internal ref struct DnsWriter
{
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _labels;
    private int _labelCount;

    /// <param name="buffer">Where the message goes.</param>
    /// <param name="limit">The largest message allowed (the UDP payload size, or 65535 over TCP).</param>
    /// <param name="labels">Room for the offsets of label starts that later names may point to.</param>
    public DnsWriter(Span<byte> buffer, int limit, Span<ushort> labels)
    {
        _buffer = buffer;
        _labels = labels;
        Limit = Math.Min(limit, buffer.Length);
    }

    public int Position { get; private set; }

    public int Limit { get; set; }

    public readonly Span<byte> Written => _buffer[..Position];

    /// <summary>Goes back to <paramref name="position"/>, forgetting names written after it.</summary>
    public void Rewind(int position)
    {
        Position = position;
        while (_labelCount > 0 && _labels[_labelCount - 1] >= position)
        {
            _labelCount--;
        }
    }

    /// <summary>Overwrites two bytes already written (an RDLENGTH known only after its data).</summary>
    public readonly void Patch(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], value);

    public void WriteHeader(ushort id, ushort flags)
    {
        _buffer[..DnsWire.HeaderLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsWire.FlagsOffset..], flags);
        Position = DnsWire.HeaderLength;
    }

    public readonly void SetFlags(ushort flags) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsWire.FlagsOffset..], flags);

    public readonly ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_buffer[DnsWire.FlagsOffset..]);

    public readonly void SetCount(int headerOffset, int count) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[headerOffset..], (ushort)count);

    public bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (Position + bytes.Length > Limit)
        {
            return false;
        }
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
        return true;
    }

    public bool TryWriteUInt16(ushort value)
    {
        if (Position + 2 > Limit)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
        return true;
    }

    public bool TryWriteUInt32(uint value)
    {
        if (Position + 4 > Limit)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
        return true;
    }

    /// <summary>Writes a pointer to an earlier name (e.g. 12, the question's).</summary>
    public bool TryWritePointer(int offset) => TryWriteUInt16((ushort)(0xC000 | offset));

    /// <summary>Writes an uncompressed wire name, compressed against earlier names when <paramref name="compress"/>.</summary>
    public bool TryWriteName(scoped ReadOnlySpan<byte> name, bool compress = true)
    {
        var start = Position;
        var position = 0;
        while (name[position] != 0)
        {
            if (compress && FindSuffix(name[position..]) is var target and >= 0)
            {
                if (!TryWriteBytes(name[..position]) || !TryWritePointer(target))
                {
                    Rewind(start);
                    return false;
                }
                RegisterName(start, name[..position]);
                return true;
            }
            position += name[position] + 1;
        }
        if (!TryWriteBytes(name[..(position + 1)]))
        {
            return false;
        }
        RegisterName(start, name[..position]);
        return true;
    }

    /// <summary>Makes the labels of <paramref name="labels"/>, written at <paramref name="offset"/>, targets for later pointers.</summary>
    public void RegisterName(int offset, scoped ReadOnlySpan<byte> labels)
    {
        for (var position = 0; position < labels.Length && labels[position] != 0; position += labels[position] + 1)
        {
            if (offset + position > MaxPointerOffset || _labelCount == _labels.Length)
            {
                return;
            }
            _labels[_labelCount++] = (ushort)(offset + position);
        }
    }

    private readonly int FindSuffix(scoped ReadOnlySpan<byte> suffix)
    {
        for (var i = 0; i < _labelCount; i++)
        {
            if (EqualsAt(_labels[i], suffix))
            {
                return _labels[i];
            }
        }
        return -1;
    }

    /// <summary>Whether the name written at <paramref name="offset"/> (following pointers) equals <paramref name="name"/>, ignoring ASCII case.</summary>
    private readonly bool EqualsAt(int offset, scoped ReadOnlySpan<byte> name)
    {
        var position = 0;
        for (var hops = 0; hops < 64; hops++)
        {
            var length = _buffer[offset];
            if (length >= 0xC0)
            {
                offset = ((length & 0x3F) << 8) | _buffer[offset + 1];
                continue;
            }
            if (length != name[position])
            {
                return false;
            }
            if (length == 0)
            {
                return true;
            }
            for (var j = 1; j <= length; j++)
            {
                var a = _buffer[offset + j];
                var b = name[position + j];
                if (a != b && (a | 0x20) != (b | 0x20) || a != b && (uint)((a | 0x20) - 'a') > 'z' - 'a')
                {
                    return false;
                }
            }
            offset += length + 1;
            position += length + 1;
        }
        return false;
    }
}
