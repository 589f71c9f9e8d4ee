using Gantry.Api.Front;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// Declares the ELBv2 awsQuery service (<see cref="Elbv2Model"/>, signed for <c>elasticloadbalancing</c>) and registers its
/// load balancer, listener, rule, tag and account operations; the target group operations are mapped under the same service.
/// </summary>
public static class Elbv2Operations
{
    public static AwsService Service { get; } =
        AwsService.Query(Elbv2Model.Name, Elbv2Model.SigningName, Elbv2Model.Version, Elbv2Model.XmlNamespace, Elbv2Model.Errors);

    public static AwsOperationTable.Builder MapElbv2(this AwsOperationTable.Builder table, LoadBalancerOperations balancers, ListenerOperations listeners,
        RuleOperations rules, ElbTagOperations tags)
    {
        ArgumentNullException.ThrowIfNull(table);
        const string elb = Elbv2Model.Name;
        return table
            .Service(Service)
            .Map<CreateLoadBalancerInput, CreateLoadBalancerOutput>(elb, "CreateLoadBalancer", (r, _, ct) => balancers.CreateAsync(r, ct))
            .Map<DescribeLoadBalancersInput, DescribeLoadBalancersOutput>(elb, "DescribeLoadBalancers", (r, _, ct) => balancers.DescribeAsync(r, ct))
            .Map<DeleteLoadBalancerInput, DeleteLoadBalancerOutput>(elb, "DeleteLoadBalancer", (r, _, ct) => balancers.DeleteAsync(r, ct))
            .Map<DescribeLoadBalancerAttributesInput, DescribeLoadBalancerAttributesOutput>(elb, "DescribeLoadBalancerAttributes",
                (r, _, ct) => balancers.DescribeAttributesAsync(r, ct))
            .Map<ModifyLoadBalancerAttributesInput, ModifyLoadBalancerAttributesOutput>(elb, "ModifyLoadBalancerAttributes",
                (r, _, ct) => balancers.ModifyAttributesAsync(r, ct))
            .Map<CreateListenerInput, CreateListenerOutput>(elb, "CreateListener", (r, _, ct) => listeners.CreateAsync(r, ct))
            .Map<DescribeListenersInput, DescribeListenersOutput>(elb, "DescribeListeners", (r, _, ct) => listeners.DescribeAsync(r, ct))
            .Map<ModifyListenerInput, ModifyListenerOutput>(elb, "ModifyListener", (r, _, ct) => listeners.ModifyAsync(r, ct))
            .Map<DeleteListenerInput, DeleteListenerOutput>(elb, "DeleteListener", (r, _, ct) => listeners.DeleteAsync(r, ct))
            .Map<CreateRuleInput, CreateRuleOutput>(elb, "CreateRule", (r, _, ct) => rules.CreateAsync(r, ct))
            .Map<DescribeRulesInput, DescribeRulesOutput>(elb, "DescribeRules", (r, _, ct) => rules.DescribeAsync(r, ct))
            .Map<ModifyRuleInput, ModifyRuleOutput>(elb, "ModifyRule", (r, _, ct) => rules.ModifyAsync(r, ct))
            .Map<DeleteRuleInput, DeleteRuleOutput>(elb, "DeleteRule", (r, _, ct) => rules.DeleteAsync(r, ct))
            .Map<SetRulePrioritiesInput, SetRulePrioritiesOutput>(elb, "SetRulePriorities", (r, _, ct) => rules.SetPrioritiesAsync(r, ct))
            .Map<AddTagsInput, AddTagsOutput>(elb, "AddTags", (r, _, ct) => tags.AddAsync(r, ct))
            .Map<RemoveTagsInput, RemoveTagsOutput>(elb, "RemoveTags", (r, _, ct) => tags.RemoveAsync(r, ct))
            .Map<DescribeTagsInput, DescribeTagsOutput>(elb, "DescribeTags", (r, _, ct) => tags.DescribeAsync(r, ct))
            .Map<DescribeAccountLimitsInput, DescribeAccountLimitsOutput>(elb, "DescribeAccountLimits", (r, _, _) => AccountOperations.DescribeLimitsAsync(r))
            .Map<DescribeSSLPoliciesInput, DescribeSSLPoliciesOutput>(elb, "DescribeSSLPolicies", (r, _, _) => AccountOperations.DescribeSslPoliciesAsync(r));
    }
}
