namespace Gantry.Api.Elbv2;

/// <summary>ELB's default quotas (per region unless noted), as DescribeAccountLimits names them and Gantry enforces them.</summary>
public static class ElbLimits
{
    public const int LoadBalancers = 50;
    public const int ListenersPerLoadBalancer = 50;
    public const int RulesPerLoadBalancer = 100;
    public const int TargetGroups = 3000;
    public const int TargetGroupsPerLoadBalancer = 100;
    public const int TargetsPerLoadBalancer = 1000;
    public const int TargetsPerTargetGroup = 1000;
    public const int TargetGroupsPerForwardAction = 5;
    public const int ConditionValuesPerRule = 5;
    public const int ValuesPerCondition = 3;
    public const int WildcardsPerRule = 5;
    public const int CertificatesPerLoadBalancer = 25;
    public const int NetworkLoadBalancers = 50;
    public const int ListenersPerNetworkLoadBalancer = 50;
}
