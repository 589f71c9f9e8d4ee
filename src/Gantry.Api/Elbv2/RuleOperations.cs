using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>
/// CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities, for listeners of application load balancers.
/// Rules are stored under "&lt;lb name&gt;/&lt;listener id&gt;/&lt;rule id&gt;"; the default rule is not stored: DescribeRules
/// builds it from the listener's default actions (priority <c>default</c>, last), under an ARN derived from the listener's.
/// </summary>
public sealed class RuleOperations(ElbResources resources, ElbActions actions)
{
    private Documents Documents => resources.Documents;

    public async Task<CreateRuleOutput> CreateAsync(CreateRuleInput request, CancellationToken ct)
    {
        var listenerArn = request.ListenerArn ?? throw ElbErrors.Missing("listenerArn");
        var listener = await resources.FindListenerAsync(listenerArn, ct).ConfigureAwait(false) ?? throw ElbErrors.ListenerNotFound(listenerArn);
        var balancer = await resources.BalancerOfAsync(listener.Value, ct).ConfigureAwait(false);
        if (balancer.LoadBalancer.Type == "network")
        {
            throw ElbErrors.Validation($"Listener '{listenerArn}' of a network load balancer has no rules: its default actions are all it does");
        }
        var priority = Priority(request.Priority, "priority");
        var conditions = RuleConditions.Validate(request.Conditions);
        var tags = ElbTags.Validate(request.Tags);
        var listenerKey = resources.ListenerKey(listenerArn)!;
        var siblings = await resources.RulesOfAsync(listenerKey, ct).ConfigureAwait(false);
        if (siblings.Any(r => r.Value.Rule.Priority == Text(priority)))
        {
            throw ElbErrors.PriorityInUse(priority);
        }
        var onBalancer = await Documents.Store.CountAsync(ElbKinds.Rule, balancer.LoadBalancer.LoadBalancerName + "/", ct).ConfigureAwait(false);
        if (onBalancer >= ElbLimits.RulesPerLoadBalancer)
        {
            throw ElbErrors.TooManyRules();
        }
        var ruleActions = await actions.ValidateAsync(request.Actions, "actions", balancer, listener.Value.Listener.Protocol!, ct).ConfigureAwait(false);
        var id = ElbArns.NewId();
        var rule = new Rule
        {
            RuleArn = RuleArn(listenerArn, id),
            Priority = Text(priority),
            Conditions = conditions,
            Actions = ruleActions,
            IsDefault = false,
        };
        await Documents.Store.CommitAsync([Documents.Put(ElbKinds.Rule, $"{listenerKey}/{id}", new RuleRecord(rule, listenerArn, tags), WriteOp.MustNotExist)], ct)
            .ConfigureAwait(false);
        return new CreateRuleOutput { Rules = [rule] };
    }

    public async Task<DescribeRulesOutput> DescribeAsync(DescribeRulesInput request, CancellationToken ct)
    {
        var size = ElbPaging.Size(request.PageSize);
        List<Rule> rules;
        if (request.RuleArns is { Count: > 0 } arns)
        {
            if (request.ListenerArn is not null)
            {
                throw ElbErrors.Validation("Listener ARN and rule ARNs cannot be specified at the same time");
            }
            rules = [];
            foreach (var arn in arns.Distinct(StringComparer.Ordinal))
            {
                rules.Add(await FindAnyAsync(arn, ct).ConfigureAwait(false) ?? throw ElbErrors.RulesNotFound());
            }
        }
        else
        {
            var listenerArn = request.ListenerArn ?? throw ElbErrors.Validation("You must specify either listener ARN or rule ARNs");
            var listener = await resources.FindListenerAsync(listenerArn, ct).ConfigureAwait(false) ?? throw ElbErrors.ListenerNotFound(listenerArn);
            var stored = await resources.RulesOfAsync(resources.ListenerKey(listenerArn)!, ct).ConfigureAwait(false);
            rules = [.. stored.Select(r => r.Value.Rule).OrderBy(r => int.Parse(r.Priority!, CultureInfo.InvariantCulture)), DefaultRule(listener.Value.Listener)];
        }
        var offset = request.Marker is null ? 0
            : int.TryParse(ElbPaging.After(request.Marker), NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
            : throw ElbErrors.Validation($"Invalid marker '{request.Marker}'");
        var page = rules.Skip(offset).Take(size).ToList();
        return new DescribeRulesOutput
        {
            Rules = page,
            NextMarker = offset + size < rules.Count ? ElbPaging.Next((offset + size).ToString(CultureInfo.InvariantCulture)) : null,
        };
    }

    public async Task<ModifyRuleOutput> ModifyAsync(ModifyRuleInput request, CancellationToken ct)
    {
        var arn = request.RuleArn ?? throw ElbErrors.Missing("ruleArn");
        var found = await RequireStoredAsync(arn, "modified", ct).ConfigureAwait(false);
        if (request.Conditions is not { Count: > 0 } && request.Actions is not { Count: > 0 })
        {
            throw ElbErrors.Validation("Either conditions or actions must be specified");
        }
        var rule = found.Value.Rule;
        if (request.Conditions is { Count: > 0 })
        {
            rule = rule with { Conditions = RuleConditions.Validate(request.Conditions) };
        }
        if (request.Actions is { Count: > 0 })
        {
            var listener = await resources.FindListenerAsync(found.Value.ListenerArn, ct).ConfigureAwait(false) ?? throw ElbErrors.ListenerNotFound(found.Value.ListenerArn);
            var balancer = await resources.BalancerOfAsync(listener.Value, ct).ConfigureAwait(false);
            rule = rule with { Actions = await actions.ValidateAsync(request.Actions, "actions", balancer, listener.Value.Listener.Protocol!, ct).ConfigureAwait(false) };
        }
        await Documents.Store.CommitAsync([Documents.Put(ElbKinds.Rule, resources.RuleKey(arn)!, found.Value with { Rule = rule }, found.Version)], ct)
            .ConfigureAwait(false);
        return new ModifyRuleOutput { Rules = [rule] };
    }

    public async Task<DeleteRuleOutput> DeleteAsync(DeleteRuleInput request, CancellationToken ct)
    {
        var arn = request.RuleArn ?? throw ElbErrors.Missing("ruleArn");
        var found = await RequireStoredAsync(arn, "deleted", ct).ConfigureAwait(false);
        await Documents.Store.CommitAsync([new DeleteOp(ElbKinds.Rule, resources.RuleKey(arn)!, found.Version)], ct).ConfigureAwait(false);
        return new DeleteRuleOutput();
    }

    /// <summary>Sets the priorities of several rules at once; the result must leave no two rules of a listener at one priority.</summary>
    public async Task<SetRulePrioritiesOutput> SetPrioritiesAsync(SetRulePrioritiesInput request, CancellationToken ct)
    {
        if (request.RulePriorities is not { Count: > 0 } pairs)
        {
            throw ElbErrors.Missing("rulePriorities");
        }
        var changed = new Dictionary<string, (Versioned<RuleRecord> Found, int Priority)>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Count; i++)
        {
            var arn = pairs[i].RuleArn ?? throw ElbErrors.Missing($"rulePriorities.{i + 1}.member.ruleArn");
            var priority = Priority(pairs[i].Priority, $"rulePriorities.{i + 1}.member.priority");
            if (changed.Values.Any(c => c.Priority == priority && c.Found.Value.ListenerArn == ListenerOfRule(arn)))
            {
                throw ElbErrors.Validation($"Priority '{priority}' was provided multiple times");
            }
            changed[arn] = (await RequireStoredAsync(arn, "reprioritized", ct).ConfigureAwait(false), priority);
        }
        var writes = new List<WriteOp>();
        foreach (var listenerArn in changed.Values.Select(c => c.Found.Value.ListenerArn).Distinct(StringComparer.Ordinal))
        {
            var all = await resources.RulesOfAsync(resources.ListenerKey(listenerArn)!, ct).ConfigureAwait(false);
            var taken = all.Where(r => !changed.ContainsKey(r.Value.Rule.RuleArn!)).Select(r => r.Value.Rule.Priority).ToHashSet(StringComparer.Ordinal);
            foreach (var (_, (_, priority)) in changed.Where(c => c.Value.Found.Value.ListenerArn == listenerArn))
            {
                if (taken.Contains(Text(priority)))
                {
                    throw ElbErrors.PriorityInUse(priority);
                }
            }
        }
        var rules = new List<Rule>();
        foreach (var (arn, (found, priority)) in changed)
        {
            var rule = found.Value.Rule with { Priority = Text(priority) };
            rules.Add(rule);
            writes.Add(Documents.Put(ElbKinds.Rule, resources.RuleKey(arn)!, found.Value with { Rule = rule }, found.Version));
        }
        await Documents.Store.CommitAsync(writes, ct).ConfigureAwait(false);
        return new SetRulePrioritiesOutput { Rules = rules };
    }

    /// <summary>The default rule of a listener: its default actions, last, under an ARN derived from the listener's.</summary>
    public Rule DefaultRule(Listener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return new Rule
        {
            RuleArn = DefaultRuleArn(listener.ListenerArn!),
            Priority = "default",
            Conditions = [],
            Actions = listener.DefaultActions,
            IsDefault = true,
        };
    }

    private string DefaultRuleArn(string listenerArn) =>
        RuleArn(listenerArn, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("default-rule:" + listenerArn)))[..16]);

    private string RuleArn(string listenerArn, string id)
    {
        var segments = resources.Arns.Segments(listenerArn, "listener")!;
        return resources.Arns.Rule(segments[0] == "net" ? "network" : "application", segments[1], segments[2], segments[3], id);
    }

    private string? ListenerOfRule(string ruleArn) => resources.Arns.Segments(ruleArn, "listener-rule") is [var type, var lb, var lbId, var listener, _]
        ? resources.Arns.Listener(type == "net" ? "network" : "application", lb, lbId, listener)
        : null;

    /// <summary>A stored rule or a listener's default rule.</summary>
    private async Task<Rule?> FindAnyAsync(string arn, CancellationToken ct)
    {
        if (await resources.FindRuleAsync(arn, ct).ConfigureAwait(false) is { } stored)
        {
            return stored.Value.Rule;
        }
        return ListenerOfRule(arn) is { } listenerArn && await resources.FindListenerAsync(listenerArn, ct).ConfigureAwait(false) is { } listener
            && DefaultRuleArn(listenerArn) == arn ? DefaultRule(listener.Value.Listener) : null;
    }

    private async Task<Versioned<RuleRecord>> RequireStoredAsync(string arn, string verb, CancellationToken ct)
    {
        if (await resources.FindRuleAsync(arn, ct).ConfigureAwait(false) is { } found)
        {
            return found;
        }
        throw await FindAnyAsync(arn, ct).ConfigureAwait(false) is { IsDefault: true }
            ? ElbErrors.OperationNotPermitted($"Default rule '{arn}' cannot be {verb}")
            : ElbErrors.RuleNotFound(arn);
    }

    private static int Priority(int? priority, string field) => priority switch
    {
        null => throw ElbErrors.Missing(field),
        < 1 => throw ElbErrors.Constraint(Text(priority.Value), field, "Member must have value greater than or equal to 1"),
        > 50000 => throw ElbErrors.Constraint(Text(priority.Value), field, "Member must have value less than or equal to 50000"),
        _ => priority.Value,
    };

    private static string Text(int priority) => priority.ToString(CultureInfo.InvariantCulture);
}
