using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// AddTags, RemoveTags, DescribeTags for load balancers, listeners, rules and target groups (a target group's tags live in
/// its <see cref="TargetGroupRecord"/>). Every resource is checked before any is changed; at most 20 resources a call.
/// </summary>
public sealed class ElbTagOperations(ElbResources resources, TargetRegistry targets)
{
    private const int MaxResources = 20;

    public async Task<AddTagsOutput> AddAsync(AddTagsInput request, CancellationToken ct)
    {
        var arns = Resources(request.ResourceArns);
        if (request.Tags is not { Count: > 0 })
        {
            throw ElbErrors.Missing("tags");
        }
        var tags = ElbTags.Validate(request.Tags);
        await RequireAllAsync(arns, ct).ConfigureAwait(false);
        foreach (var arn in arns)
        {
            await ChangeAsync(arn, current => ElbTags.Add(current, tags, arn), ct).ConfigureAwait(false);
        }
        return new AddTagsOutput();
    }

    public async Task<RemoveTagsOutput> RemoveAsync(RemoveTagsInput request, CancellationToken ct)
    {
        var arns = Resources(request.ResourceArns);
        var keys = request.TagKeys is { Count: > 0 } given ? given : throw ElbErrors.Missing("tagKeys");
        await RequireAllAsync(arns, ct).ConfigureAwait(false);
        foreach (var arn in arns)
        {
            await ChangeAsync(arn, current => ElbTags.Remove(current, keys), ct).ConfigureAwait(false);
        }
        return new RemoveTagsOutput();
    }

    public async Task<DescribeTagsOutput> DescribeAsync(DescribeTagsInput request, CancellationToken ct)
    {
        var arns = Resources(request.ResourceArns);
        var descriptions = new List<TagDescription>(arns.Count);
        foreach (var arn in arns)
        {
            descriptions.Add(new TagDescription { ResourceArn = arn, Tags = await TagsOfAsync(arn, ct).ConfigureAwait(false) });
        }
        return new DescribeTagsOutput { TagDescriptions = descriptions };
    }

    private static IReadOnlyList<string> Resources(IReadOnlyList<string>? arns)
    {
        if (arns is not { Count: > 0 })
        {
            throw ElbErrors.Missing("resourceArns");
        }
        if (arns.Count > MaxResources)
        {
            throw ElbErrors.Constraint("[...]", "resourceArns", $"Member must have length less than or equal to {MaxResources}");
        }
        return [.. arns.Distinct(StringComparer.Ordinal)];
    }

    private async Task RequireAllAsync(IReadOnlyList<string> arns, CancellationToken ct)
    {
        foreach (var arn in arns)
        {
            await TagsOfAsync(arn, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A resource's tags, or the not-found error of its kind.</summary>
    private async Task<IReadOnlyList<ElbTag>> TagsOfAsync(string arn, CancellationToken ct) => KindOf(arn) switch
    {
        ElbKinds.LoadBalancer => (await resources.FindBalancerAsync(arn, ct).ConfigureAwait(false))?.Value.Tags ?? throw ElbErrors.LoadBalancerNotFound(arn),
        ElbKinds.Listener => (await resources.FindListenerAsync(arn, ct).ConfigureAwait(false))?.Value.Tags ?? throw ElbErrors.ListenerNotFound(arn),
        ElbKinds.Rule => (await resources.FindRuleAsync(arn, ct).ConfigureAwait(false))?.Value.Tags ?? throw ElbErrors.RuleNotFound(arn),
        _ => (await targets.FindAsync(arn, ct).ConfigureAwait(false))?.Value.Tags ?? throw ElbErrors.TargetGroupNotFound(arn),
    };

    private async Task ChangeAsync(string arn, Func<IReadOnlyList<ElbTag>, IReadOnlyList<ElbTag>> change, CancellationToken ct)
    {
        var documents = resources.Documents;
        switch (KindOf(arn))
        {
            case ElbKinds.LoadBalancer:
                await documents.UpdateAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, resources.BalancerKey(arn)!, current =>
                    current?.LoadBalancer.LoadBalancerArn == arn ? current with { Tags = change(current.Tags) } : throw ElbErrors.LoadBalancerNotFound(arn), ct)
                    .ConfigureAwait(false);
                break;
            case ElbKinds.Listener:
                await documents.UpdateAsync<ListenerRecord>(ElbKinds.Listener, resources.ListenerKey(arn)!, current =>
                    current?.Listener.ListenerArn == arn ? current with { Tags = change(current.Tags) } : throw ElbErrors.ListenerNotFound(arn), ct)
                    .ConfigureAwait(false);
                break;
            case ElbKinds.Rule:
                await documents.UpdateAsync<RuleRecord>(ElbKinds.Rule, resources.RuleKey(arn)!, current =>
                    current?.Rule.RuleArn == arn ? current with { Tags = change(current.Tags) } : throw ElbErrors.RuleNotFound(arn), ct)
                    .ConfigureAwait(false);
                break;
            default:
                var name = resources.Arns.Segments(arn, "targetgroup")![0];
                await documents.UpdateAsync<TargetGroupRecord>(ElbKinds.TargetGroup, name, current =>
                    current?.TargetGroup.TargetGroupArn == arn ? current with { Tags = change(current.Tags) } : throw ElbErrors.TargetGroupNotFound(arn), ct)
                    .ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The store kind an ARN names; ValidationError for an ARN of no taggable ELB resource.</summary>
    private string KindOf(string arn) =>
        resources.BalancerKey(arn) is not null ? ElbKinds.LoadBalancer
        : resources.ListenerKey(arn) is not null ? ElbKinds.Listener
        : resources.RuleKey(arn) is not null ? ElbKinds.Rule
        : resources.Arns.Segments(arn, "targetgroup") is [_, _] ? ElbKinds.TargetGroup
        : throw ElbErrors.Validation($"'{arn}' is not a valid resource ARN");
}
