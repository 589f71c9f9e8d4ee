namespace Gantry.Dns.Wire;

/// <summary>RFC 1035 header layout, flag bits, response codes and classes: the numbers every other wire type names.</summary>
internal static class DnsWire
{
    public const int HeaderLength = 12;
    public const int MaxUdpWithoutEdns = 512;
    public const int MaxMessage = 65535;

    /// <summary>The UDP payload size this server advertises in its OPT record (DNS flag day 2020).</summary>
    public const ushort AdvertisedUdpPayload = 1232;

    /// <summary>The largest client UDP payload size honoured (bigger answers go over TCP).</summary>
    public const int MaxUdpPayload = 4096;

    /// <summary>The owner name, type, class, TTL and RDLENGTH of an OPT record with no options.</summary>
    public const int OptRecordLength = 11;

    public const ushort ClassIn = 1;
    public const ushort ClassAny = 255;

    // Header flag word bits.
    public const ushort FlagQr = 0x8000;
    public const ushort FlagAa = 0x0400;
    public const ushort FlagTc = 0x0200;
    public const ushort FlagRd = 0x0100;
    public const ushort FlagRa = 0x0080;
    public const ushort FlagCd = 0x0010;
    public const int OpcodeShift = 11;
    public const ushort OpcodeMask = 0x7800;
    public const ushort RcodeMask = 0x000F;

    public const ushort OptDoBit = 0x8000;

    // Offsets in the header.
    public const int IdOffset = 0;
    public const int FlagsOffset = 2;
    public const int QdCountOffset = 4;
    public const int AnCountOffset = 6;
    public const int NsCountOffset = 8;
    public const int ArCountOffset = 10;
}
