namespace Gantry.Dns.Authority;

/// <summary>
/// A name that exists in a zone: it owns record sets, or it is the apex, or it is an empty non-terminal (a name
/// below it owns records). A name without a node under a zone is NXDOMAIN.
/// </summary>
internal sealed class NameNode(byte[] name, CompiledZone zone, CompiledSet[] sets)
{
    public byte[] Name { get; } = name;

    public CompiledZone Zone { get; } = zone;

    public CompiledSet[] Sets { get; } = sets;

    public CompiledSet? Cname { get; } = Array.Find(sets, s => s.Type == DnsRecordType.Cname);

    public CompiledSet? Find(ushort type)
    {
        foreach (var set in Sets)
        {
            if ((ushort)set.Type == type)
            {
                return set;
            }
        }
        return null;
    }
}
