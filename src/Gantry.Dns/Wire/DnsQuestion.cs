namespace Gantry.Dns.Wire;

/// <summary>A decoded question: the name as asked (case kept, no trailing dot), its type and class.</summary>
internal sealed record DnsQuestion(string Name, ushort Type, ushort Class);
