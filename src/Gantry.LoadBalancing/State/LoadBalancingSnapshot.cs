using System.Net;
using Gantry.Domain.Elbv2;

namespace Gantry.LoadBalancing.State;

/// <summary>
/// Everything the data plane serves, read from the store at one revision: each load balancer with its listeners and
/// their rules, and every target group with its targets resolved to addresses. Immutable: the data plane swaps in a new
/// snapshot when the store changes, and requests in flight finish on the one they started with.
/// </summary>
public sealed record LoadBalancingSnapshot(long Revision, IReadOnlyList<BalancerView> LoadBalancers, IReadOnlyDictionary<string, TargetGroupView> TargetGroups)
{
    public static readonly LoadBalancingSnapshot Empty = new(0, [], new Dictionary<string, TargetGroupView>());
}

/// <param name="Address">Where this load balancer's listeners bind.</param>
public sealed record BalancerView(LoadBalancerRecord Record, IPAddress Address, IReadOnlyList<ListenerView> Listeners)
{
    public string Arn => Record.LoadBalancer.LoadBalancerArn!;

    public bool IsNetwork => Record.LoadBalancer.Type == "network";
}

/// <param name="Rules">The listener's rules other than the default one, lowest priority first; the default rule is <c>Listener.DefaultActions</c>.</param>
/// <param name="Certificate">An HTTPS listener's default certificate, opened; null for HTTP and TCP.</param>
public sealed record ListenerView(Listener Listener, IReadOnlyList<Rule> Rules, ListenerCertificate? Certificate)
{
    public string Arn => Listener.ListenerArn!;

    public int Port => Listener.Port!.Value;

    public string Protocol => Listener.Protocol!;
}

/// <summary>A server certificate with its private key in clear, both PEM.</summary>
public sealed record ListenerCertificate(string Arn, string CertificatePem, string? ChainPem, string PrivateKeyPem);

/// <param name="Targets">Every registered target, the draining ones too (they take no new requests).</param>
public sealed record TargetGroupView(TargetGroupRecord Record, IReadOnlyList<TargetView> Targets)
{
    public string Arn => Record.TargetGroup.TargetGroupArn!;

    public string Name => Record.TargetGroup.TargetGroupName!;

    /// <summary>A target group attribute's value, or <paramref name="fallback"/> when it is not set.</summary>
    public string Attribute(string key, string fallback) =>
        Record.Attributes.FirstOrDefault(a => a.Key == key)?.Value ?? fallback;
}

/// <param name="Endpoint">Where traffic for the target goes: its IP (type <c>ip</c>) or its instance's address (type
/// <c>instance</c>) with its port; null while an instance's address is not known.</param>
public sealed record TargetView(TargetKey Key, IPEndPoint? Endpoint, DateTimeOffset RegisteredAt, DateTimeOffset? DrainingSince);

/// <summary>A target as ELB names it: its id (instance id or IP) and port.</summary>
public readonly record struct TargetKey(string Id, int Port)
{
    public override string ToString() => $"{Id}:{Port}";
}
