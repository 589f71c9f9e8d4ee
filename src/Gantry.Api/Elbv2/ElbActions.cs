using System.Globalization;
using System.Text.RegularExpressions;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// Validates the actions of a listener's default rule or of a rule, and writes them as ELB answers them: orders
/// numbered, a forward with both its target group and its <c>ForwardConfig</c>, a redirect with every part filled.
/// Gantry takes one terminal action per rule (forward, fixed-response or redirect); authenticate actions are refused.
/// Target groups forwarded to must exist, speak a protocol of the load balancer's type and belong to no other load balancer.
/// </summary>
public sealed partial class ElbActions(TargetRegistry targets, TargetGroupUsage usage)
{
    private static readonly string[] ContentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];
    private static readonly string[] Placeholders = ["#{protocol}", "#{host}", "#{port}", "#{path}", "#{query}"];

    public async Task<IReadOnlyList<ElbAction>> ValidateAsync(IReadOnlyList<ElbAction>? actions, string field, LoadBalancerRecord balancer,
        string listenerProtocol, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        if (actions is null || actions.Count == 0)
        {
            throw ElbErrors.Missing(field);
        }
        var network = balancer.LoadBalancer.Type == "network";
        var result = new List<ElbAction>(actions.Count);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var path = $"{field}.{i + 1}.member";
            var type = action.Type ?? throw ElbErrors.Missing($"{path}.type");
            if (action.Order is { } order && (order < 1 || order > 50000))
            {
                throw ElbErrors.Constraint(order.ToString(CultureInfo.InvariantCulture), $"{path}.order",
                    order < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 50000");
            }
            if (type is "authenticate-oidc" or "authenticate-cognito")
            {
                throw ElbErrors.InvalidAction($"Action type '{type}' is not supported by Gantry: it has no identity provider to authenticate with");
            }
            if (type is not ("forward" or "redirect" or "fixed-response"))
            {
                throw ElbErrors.Constraint(type, $"{path}.type",
                    "Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, redirect, fixed-response]");
            }
            if (network && type != "forward")
            {
                throw ElbErrors.InvalidAction($"Action type '{type}' must be one of 'forward'");
            }
            var checkedAction = type switch
            {
                "forward" => await ForwardAsync(action, path, balancer, listenerProtocol, ct).ConfigureAwait(false),
                "redirect" => Redirect(action, path),
                _ => FixedResponse(action, path),
            };
            result.Add(checkedAction with { Order = action.Order ?? i + 1 });
        }
        if (result.Count > 1)
        {
            throw ElbErrors.InvalidAction("Gantry takes one action per rule: one of 'forward', 'redirect' or 'fixed-response'");
        }
        return result;
    }

    private async Task<ElbAction> ForwardAsync(ElbAction action, string path, LoadBalancerRecord balancer, string listenerProtocol, CancellationToken ct)
    {
        var tuples = action.ForwardConfig?.TargetGroups ?? [];
        if (action.TargetGroupArn is { } single)
        {
            if (tuples.Count > 1 || (tuples.Count == 1 && tuples[0].TargetGroupArn != single))
            {
                throw ElbErrors.Validation("You cannot specify both a target group ARN and a forward config with different target groups");
            }
            tuples = [new TargetGroupTuple { TargetGroupArn = single, Weight = tuples.Count == 1 ? tuples[0].Weight : null }];
        }
        if (tuples.Count == 0)
        {
            throw ElbErrors.Validation("You must specify a target group ARN or a forward config with target groups for a forward action");
        }
        if (tuples.Count > ElbLimits.TargetGroupsPerForwardAction)
        {
            throw ElbErrors.Constraint("[...]", $"{path}.forwardConfig.targetGroups",
                $"Member must have length less than or equal to {ElbLimits.TargetGroupsPerForwardAction}");
        }
        if (balancer.LoadBalancer.Type == "network" && tuples.Count > 1)
        {
            throw ElbErrors.InvalidAction("A forward action of a network load balancer listener forwards to one target group");
        }
        var normalised = new List<TargetGroupTuple>(tuples.Count);
        var inUse = await usage.ReadAsync(ct).ConfigureAwait(false);
        for (var t = 0; t < tuples.Count; t++)
        {
            var arn = tuples[t].TargetGroupArn ?? throw ElbErrors.Missing($"{path}.forwardConfig.targetGroups.{t + 1}.member.targetGroupArn");
            if (normalised.Any(n => n.TargetGroupArn == arn))
            {
                throw ElbErrors.Validation($"Target group '{arn}' is specified more than once in the forward action");
            }
            var weight = tuples[t].Weight ?? 1;
            if (weight is < 0 or > 999)
            {
                throw ElbErrors.Constraint(weight.ToString(CultureInfo.InvariantCulture), $"{path}.forwardConfig.targetGroups.{t + 1}.member.weight",
                    weight < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 999");
            }
            var group = (await targets.FindAsync(arn, ct).ConfigureAwait(false))?.Value.TargetGroup ?? throw ElbErrors.TargetGroupNotFound(arn);
            var compatible = balancer.LoadBalancer.Type == "network" ? group.Protocol is "TCP" : group.Protocol is "HTTP" or "HTTPS";
            if (!compatible)
            {
                throw ElbErrors.IncompatibleProtocols($"Listener protocol '{listenerProtocol}' is not supported with a target group with the protocol '{group.Protocol}'");
            }
            if (inUse.TryGetValue(arn, out var balancers) && balancers.Any(b => b != balancer.LoadBalancer.LoadBalancerArn))
            {
                throw ElbErrors.TargetGroupAssociationLimit(arn);
            }
            normalised.Add(new TargetGroupTuple { TargetGroupArn = arn, Weight = weight });
        }
        var stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
        if (stickiness?.Enabled == true)
        {
            var duration = stickiness.DurationSeconds ?? throw ElbErrors.Validation("A duration must be specified when target group stickiness is enabled");
            if (duration is < 1 or > 604800)
            {
                throw ElbErrors.Constraint(duration.ToString(CultureInfo.InvariantCulture), $"{path}.forwardConfig.targetGroupStickinessConfig.durationSeconds",
                    "Member must have value between 1 and 604800");
            }
        }
        return new ElbAction
        {
            Type = "forward",
            TargetGroupArn = normalised.Count == 1 ? normalised[0].TargetGroupArn : null,
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = normalised,
                TargetGroupStickinessConfig = stickiness?.Enabled == true
                    ? new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = stickiness.DurationSeconds }
                    : new TargetGroupStickinessConfig { Enabled = false },
            },
        };
    }

    private static ElbAction FixedResponse(ElbAction action, string path)
    {
        var config = action.FixedResponseConfig ?? throw ElbErrors.Missing($"{path}.fixedResponseConfig");
        var status = config.StatusCode ?? throw ElbErrors.Missing($"{path}.fixedResponseConfig.statusCode");
        if (!StatusPattern().IsMatch(status))
        {
            throw ElbErrors.Constraint(status, $"{path}.fixedResponseConfig.statusCode", @"Member must satisfy regular expression pattern: ^(2|4|5)\d\d$");
        }
        if (config.ContentType is { } contentType && !ContentTypes.Contains(contentType, StringComparer.Ordinal))
        {
            throw ElbErrors.Validation($"Content type '{contentType}' must be one of '{string.Join(", ", ContentTypes)}'");
        }
        if (config.MessageBody is { Length: > 1024 } body)
        {
            throw ElbErrors.Constraint(body[..16] + "...", $"{path}.fixedResponseConfig.messageBody", "Member must have length less than or equal to 1024");
        }
        return new ElbAction
        {
            Type = "fixed-response",
            FixedResponseConfig = new FixedResponseActionConfig { StatusCode = status, ContentType = config.ContentType, MessageBody = config.MessageBody },
        };
    }

    private static ElbAction Redirect(ElbAction action, string path)
    {
        var config = action.RedirectConfig ?? throw ElbErrors.Missing($"{path}.redirectConfig");
        var status = config.StatusCode ?? throw ElbErrors.Missing($"{path}.redirectConfig.statusCode");
        if (status is not ("HTTP_301" or "HTTP_302"))
        {
            throw ElbErrors.Constraint(status, $"{path}.redirectConfig.statusCode", "Member must satisfy enum value set: [HTTP_302, HTTP_301]");
        }
        var redirect = new RedirectActionConfig
        {
            Protocol = config.Protocol ?? "#{protocol}",
            Port = config.Port ?? "#{port}",
            Host = config.Host ?? "#{host}",
            Path = config.Path ?? "/#{path}",
            Query = config.Query ?? "#{query}",
            StatusCode = status,
        };
        if (redirect.Protocol is not ("HTTP" or "HTTPS" or "#{protocol}"))
        {
            throw ElbErrors.Constraint(redirect.Protocol, $"{path}.redirectConfig.protocol", "Member must satisfy regular expression pattern: ^(HTTPS?|#\\{protocol\\})$");
        }
        if (redirect.Port != "#{port}" && !(int.TryParse(redirect.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535))
        {
            throw ElbErrors.Validation($"Redirect port '{redirect.Port}' must be a number from 1 to 65535 or '#{{port}}'");
        }
        if (!redirect.Path.StartsWith('/'))
        {
            throw ElbErrors.Validation($"Redirect path '{redirect.Path}' must start with a '/'");
        }
        foreach (var (part, value) in new[] { ("host", redirect.Host), ("path", redirect.Path), ("query", redirect.Query) })
        {
            if (value.Length > 128)
            {
                throw ElbErrors.Constraint(value, $"{path}.redirectConfig.{part}", "Member must have length less than or equal to 128");
            }
            if (PlaceholderPattern().Matches(value).FirstOrDefault(m => !Placeholders.Contains(m.Value, StringComparer.Ordinal)) is { } unknown)
            {
                throw ElbErrors.Validation($"Redirect {part} '{value}' has an unknown placeholder '{unknown.Value}': use one of {string.Join(", ", Placeholders)}");
            }
        }
        if (redirect is { Protocol: "#{protocol}", Port: "#{port}", Host: "#{host}", Path: "/#{path}", Query: "#{query}" })
        {
            throw ElbErrors.InvalidAction("The redirect configuration is not valid because it creates a loop.");
        }
        return new ElbAction { Type = "redirect", RedirectConfig = redirect };
    }

    [GeneratedRegex(@"^(2|4|5)\d\d$")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"#\{[^}]*\}")]
    private static partial Regex PlaceholderPattern();
}
