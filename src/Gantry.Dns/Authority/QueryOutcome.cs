namespace Gantry.Dns.Authority;

/// <summary>What the listener does with a message after <see cref="DnsResponder.Respond"/>.</summary>
internal enum QueryOutcome
{
    /// <summary>Send the response written.</summary>
    Answer,

    /// <summary>Not authoritative and upstreams exist: relay the query.</summary>
    Forward,

    /// <summary>Send nothing (no header, or a response).</summary>
    Drop,
}
