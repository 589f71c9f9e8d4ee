namespace Gantry.Agent.Networking;

/// <summary>
/// An awsvpc task's security groups, merged and resolved by the control plane: what may reach the task and what it may
/// reach. Stateful: replies to allowed traffic pass both ways. Anything no rule allows is dropped.
/// </summary>
public sealed record TaskFirewallPolicy(IReadOnlyList<FirewallRule> Ingress, IReadOnlyList<FirewallRule> Egress);
