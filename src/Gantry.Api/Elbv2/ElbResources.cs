using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>
/// Finds stored load balancers, listeners and rules by ARN: the ARN names the store key (see <see cref="ElbKinds"/>),
/// and a stored resource answers only to its own ARN (not to one of an older resource of the same name).
/// </summary>
public sealed class ElbResources(Documents documents, ElbArns arns)
{
    public Documents Documents => documents;

    public ElbArns Arns => arns;

    /// <summary>The store key a load balancer ARN names, or null when it is not one of this account and region.</summary>
    public string? BalancerKey(string arn) => arns.Segments(arn, "loadbalancer") is [_, var name, _] ? name : null;

    /// <summary>The store key ("&lt;lb name&gt;/&lt;listener id&gt;") a listener ARN names.</summary>
    public string? ListenerKey(string arn) => arns.Segments(arn, "listener") is [_, var balancer, _, var id] ? $"{balancer}/{id}" : null;

    /// <summary>The store key ("&lt;lb name&gt;/&lt;listener id&gt;/&lt;rule id&gt;") a rule ARN names.</summary>
    public string? RuleKey(string arn) => arns.Segments(arn, "listener-rule") is [_, var balancer, _, var listener, var id] ? $"{balancer}/{listener}/{id}" : null;

    public async Task<Versioned<LoadBalancerRecord>?> FindBalancerAsync(string arn, CancellationToken ct) =>
        BalancerKey(arn) is { } key && await documents.GetAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, key, ct).ConfigureAwait(false) is { } found
            && found.Value.LoadBalancer.LoadBalancerArn == arn ? found : null;

    public async Task<Versioned<ListenerRecord>?> FindListenerAsync(string arn, CancellationToken ct) =>
        ListenerKey(arn) is { } key && await documents.GetAsync<ListenerRecord>(ElbKinds.Listener, key, ct).ConfigureAwait(false) is { } found
            && found.Value.Listener.ListenerArn == arn ? found : null;

    public async Task<Versioned<RuleRecord>?> FindRuleAsync(string arn, CancellationToken ct) =>
        RuleKey(arn) is { } key && await documents.GetAsync<RuleRecord>(ElbKinds.Rule, key, ct).ConfigureAwait(false) is { } found
            && found.Value.Rule.RuleArn == arn ? found : null;

    /// <summary>The load balancer a listener belongs to (stored under the listener's load balancer name).</summary>
    public async Task<LoadBalancerRecord> BalancerOfAsync(ListenerRecord listener, CancellationToken ct) =>
        (await FindBalancerAsync(listener.Listener.LoadBalancerArn!, ct).ConfigureAwait(false))?.Value
        ?? throw ElbErrors.LoadBalancerNotFound(listener.Listener.LoadBalancerArn!);

    public Task<IReadOnlyList<Versioned<ListenerRecord>>> ListenersOfAsync(string balancerName, CancellationToken ct) =>
        documents.ListAllAsync<ListenerRecord>(ElbKinds.Listener, balancerName + "/", ct);

    public Task<IReadOnlyList<Versioned<RuleRecord>>> RulesOfAsync(string listenerKey, CancellationToken ct) =>
        documents.ListAllAsync<RuleRecord>(ElbKinds.Rule, listenerKey + "/", ct);
}
