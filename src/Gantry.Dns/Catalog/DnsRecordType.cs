namespace Gantry.Dns;

/// <summary>
/// Resource record types (RFC 1035 numbers). A catalog holds <see cref="A"/>, <see cref="Aaaa"/>, <see cref="Srv"/> and
/// <see cref="Cname"/> sets; the others are synthesized (<see cref="Ns"/>, <see cref="Soa"/>) or only seen on the wire.
/// </summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Soa = 6,
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
    Any = 255,
}
