namespace Gantry.Agent.Networking;

/// <summary>
/// One security group rule as a task's firewall applies it: traffic of <paramref name="Protocol"/> (<c>tcp</c>, <c>udp</c>,
/// <c>icmp</c> or <c>-1</c> for all) on ports <paramref name="FromPort"/>–<paramref name="ToPort"/> (ICMP: type and code,
/// -1 for any) from (ingress) or to (egress) any of <paramref name="Cidrs"/>. Source-group rules arrive resolved to the
/// member tasks' addresses.
/// </summary>
public sealed record FirewallRule(string Protocol, int FromPort, int ToPort, IReadOnlyList<string> Cidrs);
