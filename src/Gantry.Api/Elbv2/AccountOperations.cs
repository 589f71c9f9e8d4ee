using System.Globalization;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>DescribeAccountLimits (ELB's default quotas under the names ELB gives them) and DescribeSSLPolicies.</summary>
public static class AccountOperations
{
    private static readonly (string Name, int Max)[] Quotas =
    [
        ("application-load-balancers", ElbLimits.LoadBalancers),
        ("target-groups", ElbLimits.TargetGroups),
        ("targets-per-application-load-balancer", ElbLimits.TargetsPerLoadBalancer),
        ("listeners-per-application-load-balancer", ElbLimits.ListenersPerLoadBalancer),
        ("rules-per-application-load-balancer", ElbLimits.RulesPerLoadBalancer),
        ("network-load-balancers", ElbLimits.NetworkLoadBalancers),
        ("targets-per-network-load-balancer", ElbLimits.TargetsPerLoadBalancer),
        ("listeners-per-network-load-balancer", ElbLimits.ListenersPerNetworkLoadBalancer),
        ("condition-values-per-alb-rule", ElbLimits.ConditionValuesPerRule),
        ("condition-wildcards-per-alb-rule", ElbLimits.WildcardsPerRule),
        ("target-groups-per-application-load-balancer", ElbLimits.TargetGroupsPerLoadBalancer),
        ("target-groups-per-action-on-application-load-balancer", ElbLimits.TargetGroupsPerForwardAction),
        ("target-groups-per-action-on-network-load-balancer", 1),
        ("certificates-per-application-load-balancer", ElbLimits.CertificatesPerLoadBalancer),
        ("targets-per-target-group", ElbLimits.TargetsPerTargetGroup),
    ];

    public static Task<DescribeAccountLimitsOutput> DescribeLimitsAsync(DescribeAccountLimitsInput request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ElbPaging.Size(request.PageSize);
        return Task.FromResult(new DescribeAccountLimitsOutput
        {
            Limits = [.. Quotas.Select(q => new Limit { Name = q.Name, Max = q.Max.ToString(CultureInfo.InvariantCulture) })],
        });
    }

    public static Task<DescribeSSLPoliciesOutput> DescribeSslPoliciesAsync(DescribeSSLPoliciesInput request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ElbPaging.Size(request.PageSize);
        IEnumerable<SslPolicy> policies = SslPolicies.All;
        if (request.Names is { Count: > 0 } names)
        {
            policies = names.Select(n => SslPolicies.Find(n) ?? throw new Domain.Errors.AwsException("SSLPolicyNotFoundException", "One or more SSL policies not found"));
        }
        if (request.LoadBalancerType is { } type)
        {
            policies = policies.Where(p => p.SupportedLoadBalancerTypes!.Contains(type, StringComparer.Ordinal));
        }
        return Task.FromResult(new DescribeSSLPoliciesOutput { SslPolicies = [.. policies] });
    }
}
