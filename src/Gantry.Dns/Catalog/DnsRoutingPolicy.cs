namespace Gantry.Dns;

/// <summary>How a record set with several records is answered (Cloud Map's routing policies).</summary>
public enum DnsRoutingPolicy
{
    /// <summary>Up to 8 of the records, shuffled per query.</summary>
    Multivalue,

    /// <summary>One record chosen at random per query.</summary>
    Weighted,
}
