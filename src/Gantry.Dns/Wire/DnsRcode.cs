namespace Gantry.Dns.Wire;

/// <summary>Response codes (RFC 1035 4.1.1, RFC 6891 for the extended <see cref="BadVers"/>).</summary>
internal enum DnsRcode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
