using System.Text;

namespace Gantry.Dns.Wire;

/// <summary>
/// Domain names in wire form: length-prefixed labels ending with a zero byte, uncompressed. Catalog names are kept
/// lower-case in this form so a question is matched by lower-casing its bytes (ASCII only, RFC 4343).
/// </summary>
internal static class DnsName
{
    public const int MaxLength = 255;
    public const int MaxLabel = 63;
    private const int MaxPointerHops = 32;

    /// <summary>Encodes <c>a.b.c</c> (a trailing dot is allowed; empty or "." is the root) lower-case; false when not a valid name.</summary>
    public static bool TryEncode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.EndsWith('.'))
        {
            text = text[..^1];
        }
        var position = 0;
        while (!text.IsEmpty)
        {
            var dot = text.IndexOf('.');
            var label = dot < 0 ? text : text[..dot];
            if (label.IsEmpty || label.Length > MaxLabel || position + 1 + label.Length + 1 > Math.Min(MaxLength, destination.Length))
            {
                return false;
            }
            destination[position++] = (byte)label.Length;
            foreach (var c in label)
            {
                if (c is <= ' ' or > '~')
                {
                    return false;
                }
                destination[position++] = (byte)char.ToLowerInvariant(c);
            }
            text = dot < 0 ? [] : text[(dot + 1)..];
        }
        if (destination.IsEmpty)
        {
            return false;
        }
        destination[position++] = 0;
        written = position;
        return true;
    }

    /// <summary>The lower-case wire form of <paramref name="text"/>; throws <see cref="ArgumentException"/> when it is not a valid name.</summary>
    public static byte[] Encode(string text)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        if (!TryEncode(text, buffer, out var written))
        {
            throw new ArgumentException($"'{text}' is not a valid DNS name (labels of 1-63 printable ASCII characters, 255 bytes in all).", nameof(text));
        }
        return buffer[..written].ToArray();
    }

    /// <summary>
    /// Reads the (possibly compressed) name at <paramref name="offset"/> of <paramref name="message"/> into
    /// <paramref name="name"/> uncompressed, case kept. <paramref name="next"/> is the offset after the name's bytes
    /// at <paramref name="offset"/>. Pointers must point backwards, so a loop cannot be followed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, Span<byte> name, out int nameLength, out int next)
    {
        nameLength = 0;
        next = -1;
        var position = offset;
        var hops = 0;
        while (true)
        {
            if ((uint)position >= (uint)message.Length)
            {
                return false;
            }
            var length = message[position];
            if (length >= 0xC0)
            {
                if (position + 1 >= message.Length || ++hops > MaxPointerHops)
                {
                    return false;
                }
                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (next < 0)
                {
                    next = position + 2;
                }
                if (target >= position)
                {
                    return false;
                }
                position = target;
                continue;
            }
            if (length > MaxLabel)
            {
                return false; // 0x40 and 0x80 label types are obsolete
            }
            if (nameLength + 1 + length > MaxLength || nameLength + 1 + length > name.Length || position + 1 + length > message.Length)
            {
                return false;
            }
            message.Slice(position, 1 + length).CopyTo(name[nameLength..]);
            nameLength += 1 + length;
            position += 1 + length;
            if (length == 0)
            {
                if (next < 0)
                {
                    next = position;
                }
                return true;
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> lower-casing ASCII letters; label length bytes (at most 63) are never letters.</summary>
    public static void ToLower(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            destination[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }
    }

    /// <summary>Whether <paramref name="name"/> equals <paramref name="zone"/> or lies below it (both lower-case wire form).</summary>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone)
    {
        var position = 0;
        while (name.Length - position >= zone.Length)
        {
            if (name.Length - position == zone.Length)
            {
                return name[position..].SequenceEqual(zone);
            }
            position += name[position] + 1;
        }
        return false;
    }

    /// <summary>Counts the labels of a wire name (the root has none).</summary>
    public static int LabelCount(ReadOnlySpan<byte> name)
    {
        var count = 0;
        for (var position = 0; name[position] != 0; position += name[position] + 1)
        {
            count++;
        }
        return count;
    }

    /// <summary>The presentation form without trailing dot (root is "."), bytes outside printable ASCII and dots in labels escaped.</summary>
    public static string ToText(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[0] == 0)
        {
            return ".";
        }
        var text = new StringBuilder(name.Length);
        for (var position = 0; name[position] != 0; position += name[position] + 1)
        {
            if (position > 0)
            {
                text.Append('.');
            }
            foreach (var b in name.Slice(position + 1, name[position]))
            {
                if (b is (byte)'.' or (byte)'\\')
                {
                    text.Append('\\').Append((char)b);
                }
                else if (b is <= (byte)' ' or > (byte)'~')
                {
                    text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)b);
                }
            }
        }
        return text.ToString();
    }
}
