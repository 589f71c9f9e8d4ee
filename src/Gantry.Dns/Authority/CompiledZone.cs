namespace Gantry.Dns.Authority;

/// <summary>A zone's apex name and the SOA record bytes that go in the authority section of its negative answers.</summary>
internal sealed class CompiledZone(byte[] name, byte[] negativeSoa)
{
    /// <summary>The TTL of the synthesized SOA record (Route 53's default for a hosted zone's SOA).</summary>
    public const uint SoaTtl = 900;

    /// <summary>The TTL of the synthesized NS record (Route 53's default).</summary>
    public const uint NsTtl = 172800;

    public const uint Refresh = 7200;
    public const uint Retry = 900;
    public const uint Expire = 1209600;

    public byte[] Name { get; } = name;

    /// <summary>The SOA after its owner name, TTL min(<see cref="SoaTtl"/>, negative TTL) (RFC 2308 section 3).</summary>
    public byte[] NegativeSoa { get; } = negativeSoa;
}
