using System.Net;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// Validates a rule's conditions by ELB's rules and writes them as ELB answers them: host-header and path-pattern
/// in both the legacy <c>Values</c> and their <c>*Config</c>, the others in their <c>*Config</c>. At most one each of
/// host-header, http-request-method, path-pattern and source-ip; at most 3 values a condition, 5 values and 5 wildcards a rule.
/// </summary>
public static class RuleConditions
{
    private static readonly string[] Fields = ["http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"];
    private static readonly string[] Once = ["host-header", "http-request-method", "path-pattern", "source-ip"];

    public static IReadOnlyList<RuleCondition> Validate(IReadOnlyList<RuleCondition>? conditions)
    {
        if (conditions is null || conditions.Count == 0)
        {
            throw ElbErrors.Missing("conditions");
        }
        var result = new List<RuleCondition>(conditions.Count);
        var evaluations = 0;
        var wildcards = 0;
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var field = condition.Field ?? throw ElbErrors.Missing($"conditions.{i + 1}.member.field");
            if (!Fields.Contains(field, StringComparer.Ordinal))
            {
                throw ElbErrors.Validation($"Condition field '{field}' must be one of '[{string.Join(", ", Fields)}]'");
            }
            if (Once.Contains(field, StringComparer.Ordinal) && result.Any(c => c.Field == field))
            {
                throw ElbErrors.Validation($"A rule can only have one '{field}' condition");
            }
            var normalised = Normalise(condition, field);
            var values = ValuesOf(normalised);
            if (values.Count == 0)
            {
                throw ElbErrors.Validation($"A condition of type '{field}' must have at least one value");
            }
            if (values.Count > ElbLimits.ValuesPerCondition)
            {
                throw ElbErrors.Validation($"A condition can only have '{ElbLimits.ValuesPerCondition}' values");
            }
            foreach (var value in values)
            {
                CheckValue(field, value);
                wildcards += value.Count(c => c is '*' or '?');
            }
            evaluations += values.Count;
            result.Add(normalised);
        }
        if (evaluations > ElbLimits.ConditionValuesPerRule)
        {
            throw ElbErrors.Validation($"A rule can only have '{ElbLimits.ConditionValuesPerRule}' condition values");
        }
        if (wildcards > ElbLimits.WildcardsPerRule)
        {
            throw ElbErrors.Validation($"A rule can only have '{ElbLimits.WildcardsPerRule}' wildcards");
        }
        return result;
    }

    private static RuleCondition Normalise(RuleCondition condition, string field)
    {
        var legacy = condition.Values is { Count: > 0 } ? condition.Values : null;
        var (configName, configValues) = field switch
        {
            "host-header" => ("HostHeaderConfig", condition.HostHeaderConfig?.Values),
            "path-pattern" => ("PathPatternConfig", condition.PathPatternConfig?.Values),
            "http-header" => ("HttpHeaderConfig", condition.HttpHeaderConfig?.Values),
            "http-request-method" => ("HttpRequestMethodConfig", condition.HttpRequestMethodConfig?.Values),
            "source-ip" => ("SourceIpConfig", condition.SourceIpConfig?.Values),
            _ => ("QueryStringConfig", condition.QueryStringConfig?.Values?.Select(p => p.Value ?? "").ToList()),
        };
        var hasConfig = field switch
        {
            "host-header" => condition.HostHeaderConfig is not null,
            "path-pattern" => condition.PathPatternConfig is not null,
            "http-header" => condition.HttpHeaderConfig is not null,
            "http-request-method" => condition.HttpRequestMethodConfig is not null,
            "source-ip" => condition.SourceIpConfig is not null,
            _ => condition.QueryStringConfig is not null,
        };
        if (legacy is not null && hasConfig)
        {
            throw ElbErrors.Validation($"You cannot provide both Values and '{configName}' for a condition of type '{field}'");
        }
        if (legacy is not null && field is not ("host-header" or "path-pattern"))
        {
            throw ElbErrors.Validation($"A condition of type '{field}' takes its values in '{configName}', not in Values");
        }
        if (legacy is null && !hasConfig)
        {
            throw ElbErrors.Validation($"A condition of type '{field}' must specify '{configName}'");
        }
        var values = legacy ?? configValues ?? [];
        return field switch
        {
            "host-header" => new RuleCondition { Field = field, Values = values, HostHeaderConfig = new HostHeaderConditionConfig { Values = values } },
            "path-pattern" => new RuleCondition { Field = field, Values = values, PathPatternConfig = new PathPatternConditionConfig { Values = values } },
            "http-header" => new RuleCondition
            {
                Field = field,
                HttpHeaderConfig = new HttpHeaderConditionConfig { HttpHeaderName = HeaderName(condition.HttpHeaderConfig!.HttpHeaderName), Values = values },
            },
            "http-request-method" => new RuleCondition { Field = field, HttpRequestMethodConfig = new HttpRequestMethodConditionConfig { Values = values } },
            "source-ip" => new RuleCondition { Field = field, SourceIpConfig = new SourceIpConditionConfig { Values = values } },
            _ => new RuleCondition
            {
                Field = field,
                QueryStringConfig = new QueryStringConditionConfig
                {
                    Values = [.. condition.QueryStringConfig!.Values?.Select(p => new QueryStringKeyValuePair { Key = p.Key, Value = p.Value }) ?? []],
                },
            },
        };
    }

    private static List<string> ValuesOf(RuleCondition condition) => condition.Field switch
    {
        "http-header" => [.. condition.HttpHeaderConfig!.Values ?? []],
        "http-request-method" => [.. condition.HttpRequestMethodConfig!.Values ?? []],
        "source-ip" => [.. condition.SourceIpConfig!.Values ?? []],
        "query-string" => [.. (condition.QueryStringConfig!.Values ?? []).Select(p => (p.Key is null ? "" : p.Key + "=") + p.Value)],
        _ => [.. condition.Values ?? []],
    };

    private static string HeaderName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ElbErrors.Validation("An HTTP header condition must specify an HTTP header name");
        }
        if (name.Length > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "-_!#$%&'+.^`|~".Contains(c, StringComparison.Ordinal)))
        {
            throw ElbErrors.Validation($"HTTP header name '{name}' is not valid: it must be a header field name without wildcards, up to 40 characters");
        }
        return name;
    }

    private static void CheckValue(string field, string value)
    {
        if (value.Length == 0)
        {
            throw ElbErrors.Validation($"A condition value of type '{field}' cannot be empty");
        }
        if (value.Length > 128)
        {
            throw ElbErrors.Validation($"Condition value '{value}' cannot be longer than '128' characters");
        }
        if (value.Any(c => c < 0x20 || c > 0x7E))
        {
            throw ElbErrors.Validation($"Condition value '{value}' can only contain visible ASCII characters");
        }
        switch (field)
        {
            case "http-request-method" when !value.All(c => char.IsAsciiLetter(c) || c is '-' or '_') || value.Length > 40:
                throw ElbErrors.Validation($"HTTP request method '{value}' is not valid: it can only contain A-Z, a-z, '-' and '_', without wildcards");
            case "source-ip" when !IPNetwork.TryParse(value, out _) || value == "255.255.255.255/32" || !value.Contains('/', StringComparison.Ordinal):
                throw ElbErrors.Validation($"Source IP '{value}' is not a valid CIDR block");
        }
    }
}
