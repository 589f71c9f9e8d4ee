using System.Text.Json;
using Gantry.Iam.Policies.Conditions;
using Gantry.Iam.Policies.Matching;

namespace Gantry.Iam.Policies.Parsing;

/// <summary>
/// Reads a policy document the way IAM checks it, phase by phase over all statements, so the first message is the
/// one IAM would give: syntax, principal, version, legacy parsing (Effect case), Sid uniqueness, actions,
/// resources/principal, resource format, action vendors. Then compiles it.
/// </summary>
internal static class PolicyParser
{
    public const string CurrentVersion = "2012-10-17";
    public const string LegacyVersion = "2008-10-17";

    private static readonly HashSet<string> TopElements = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementElements = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition",
    };

    private static readonly HashSet<string> PrincipalTypes = new(StringComparer.Ordinal)
    {
        "AWS", "Service", "Federated", "CanonicalUser",
    };

    public readonly record struct Result(CompiledPolicy? Policy, string? Error);

    public static Result Parse(string json, PolicyKind kind, bool requireCurrentVersion)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return new Result(null, PolicyErrors.Syntax);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (!IsSyntaxValid(root, out List<JsonElement> statements))
            {
                return new Result(null, PolicyErrors.Syntax);
            }

            string version = root.TryGetProperty("Version", out JsonElement v) ? v.GetString()! : LegacyVersion;
            string? error = Check(statements, kind, version, requireCurrentVersion);
            if (error is not null)
            {
                return new Result(null, error);
            }

            bool variables = version == CurrentVersion;
            return new Result(new CompiledPolicy(kind, version, [.. statements.Select(s => Compile(s, variables))]), null);
        }
    }

    private static bool IsSyntaxValid(JsonElement root, out List<JsonElement> statements)
    {
        statements = [];
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!TopElements.Contains(property.Name))
            {
                return false;
            }
        }

        if (root.TryGetProperty("Version", out JsonElement version)
            && version.GetStringOrNull() is not (CurrentVersion or LegacyVersion))
        {
            return false;
        }

        if (root.TryGetProperty("Id", out JsonElement id) && id.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        if (!root.TryGetProperty("Statement", out JsonElement statement))
        {
            return false;
        }

        if (statement.ValueKind == JsonValueKind.Object)
        {
            statements.Add(statement);
        }
        else if (statement.ValueKind == JsonValueKind.Array)
        {
            statements.AddRange(statement.EnumerateArray());
        }

        return statements.Count > 0 && statements.All(IsStatementSyntaxValid);
    }

    private static bool IsStatementSyntaxValid(JsonElement statement)
    {
        if (statement.ValueKind != JsonValueKind.Object
            || statement.EnumerateObject().Any(p => !StatementElements.Contains(p.Name))
            || Has(statement, "Action") && Has(statement, "NotAction")
            || Has(statement, "Resource") && Has(statement, "NotResource")
            || Has(statement, "Principal") && Has(statement, "NotPrincipal"))
        {
            return false;
        }

        string? effect = statement.TryGetProperty("Effect", out JsonElement e) ? e.GetStringOrNull() : null;
        if (effect is null
            || !(effect.Equals("Allow", StringComparison.OrdinalIgnoreCase) || effect.Equals("Deny", StringComparison.OrdinalIgnoreCase))
            || (statement.TryGetProperty("Sid", out JsonElement sid) && sid.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        foreach (string name in (string[])["Action", "NotAction", "Resource", "NotResource"])
        {
            if (statement.TryGetProperty(name, out JsonElement value) && Strings(value) is null)
            {
                return false;
            }
        }

        return IsPrincipalSyntaxValid(statement) && IsConditionSyntaxValid(statement);
    }

    private static bool IsPrincipalSyntaxValid(JsonElement statement)
    {
        JsonElement principal = statement.TryGetProperty("Principal", out JsonElement p) ? p
            : statement.TryGetProperty("NotPrincipal", out JsonElement n) ? n : default;
        return principal.ValueKind switch
        {
            JsonValueKind.Undefined => true,
            JsonValueKind.String => principal.GetString() == "*",
            JsonValueKind.Object => principal.EnumerateObject().All(t => PrincipalTypes.Contains(t.Name) && Strings(t.Value) is { Count: > 0 }),
            _ => false,
        };
    }

    private static bool IsConditionSyntaxValid(JsonElement statement)
    {
        if (!statement.TryGetProperty("Condition", out JsonElement condition))
        {
            return true;
        }

        return condition.ValueKind == JsonValueKind.Object && condition.EnumerateObject().All(op =>
            TryParseOperator(op.Name, out _, out _, out _)
            && op.Value.ValueKind == JsonValueKind.Object
            && op.Value.EnumerateObject().All(key => ConditionValuesOf(key.Value) is not null));
    }

    private static string? Check(List<JsonElement> statements, PolicyKind kind, string version, bool requireCurrentVersion)
    {
        if (kind == PolicyKind.Identity && statements.Any(s => Has(s, "Principal") || Has(s, "NotPrincipal")))
        {
            return PolicyErrors.PrincipalInIdentityPolicy;
        }

        if (requireCurrentVersion && version != CurrentVersion)
        {
            return PolicyErrors.VersionTooOld;
        }

        if (statements.Any(s => s.GetProperty("Effect").GetString() is not ("Allow" or "Deny")))
        {
            return PolicyErrors.LegacyParsing;
        }

        var sids = new HashSet<string>(StringComparer.Ordinal);
        if (statements.Any(s => s.TryGetProperty("Sid", out JsonElement sid) && sid.GetString() is { Length: > 0 } text && !sids.Add(text)))
        {
            return PolicyErrors.DuplicateSid;
        }

        if (statements.Any(s => Elements(s, "Action", "NotAction") is not { Count: > 0 }))
        {
            return PolicyErrors.MissingActions;
        }

        if (kind == PolicyKind.Identity && statements.Any(s => Elements(s, "Resource", "NotResource") is not { Count: > 0 }))
        {
            return PolicyErrors.MissingResources;
        }

        if (kind == PolicyKind.Resource && statements.Any(s => !Has(s, "Principal") && !Has(s, "NotPrincipal")))
        {
            return PolicyErrors.MissingPrincipal;
        }

        string? notArn = statements.SelectMany(s => Elements(s, "Resource", "NotResource") ?? [])
            .FirstOrDefault(r => r != "*" && !r.StartsWith("arn:", StringComparison.Ordinal));
        if (notArn is not null)
        {
            return PolicyErrors.ResourceNotArn(notArn);
        }

        return statements.SelectMany(s => Elements(s, "Action", "NotAction")!).Select(CheckAction).FirstOrDefault(e => e is not null);
    }

    private static string? CheckAction(string action)
    {
        if (action == "*")
        {
            return null;
        }

        string[] parts = action.Split(':');
        if (parts.Length == 1)
        {
            return PolicyErrors.MissingVendor;
        }

        if (parts.Length > 2)
        {
            return PolicyErrors.TooManyColons;
        }

        bool validVendor = parts[0] == "*" || parts[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '*' or '?');
        return validVendor ? null : PolicyErrors.InvalidVendor(parts[0]);
    }

    private static CompiledStatement Compile(JsonElement statement, bool variables)
    {
        bool notAction = Has(statement, "NotAction");
        bool notResource = Has(statement, "NotResource");
        IReadOnlyList<string>? resources = Elements(statement, "Resource", "NotResource");
        return new CompiledStatement(
            deny: statement.GetProperty("Effect").GetString() == "Deny",
            sid: statement.TryGetProperty("Sid", out JsonElement sid) && sid.GetString() is { Length: > 0 } s ? s : null,
            actions: [.. Elements(statement, "Action", "NotAction")!.Select(ActionPattern.Parse)],
            notAction: notAction,
            resources: resources is null ? null : [.. resources.Select(r => new ResourcePattern(r, variables))],
            notResource: notResource,
            principals: CompilePrincipals(statement),
            conditions: [.. CompileConditions(statement, variables)]);
    }

    private static PrincipalSet? CompilePrincipals(JsonElement statement)
    {
        bool negated = statement.TryGetProperty("NotPrincipal", out JsonElement principal);
        if (!negated && !statement.TryGetProperty("Principal", out principal))
        {
            return null;
        }

        if (principal.ValueKind == JsonValueKind.String)
        {
            return new PrincipalSet(everyone: true, [], [], negated);
        }

        IReadOnlyList<string> Of(string type) =>
            principal.TryGetProperty(type, out JsonElement value) ? Strings(value)! : [];
        return new PrincipalSet(everyone: false, Of("AWS"), Of("Service"), negated);
    }

    private static IEnumerable<CompiledCondition> CompileConditions(JsonElement statement, bool variables)
    {
        if (!statement.TryGetProperty("Condition", out JsonElement condition))
        {
            yield break;
        }

        foreach (JsonProperty op in condition.EnumerateObject())
        {
            if (!TryParseOperator(op.Name, out ConditionOperator parsed, out SetQualifier qualifier, out bool ifExists))
            {
                throw new InvalidOperationException($"Condition operator {op.Name} passed validation but is unknown.");
            }

            foreach (JsonProperty key in op.Value.EnumerateObject())
            {
                yield return new CompiledCondition(parsed, qualifier, ifExists, key.Name, ConditionValuesOf(key.Value)!, variables);
            }
        }
    }

    private static bool TryParseOperator(string name, out ConditionOperator op, out SetQualifier qualifier, out bool ifExists)
    {
        qualifier = SetQualifier.None;
        foreach ((string prefix, SetQualifier q) in (ReadOnlySpan<(string, SetQualifier)>)
                 [("ForAllValues:", SetQualifier.ForAllValues), ("ForAnyValue:", SetQualifier.ForAnyValue)])
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                qualifier = q;
                name = name[prefix.Length..];
            }
        }

        ifExists = name.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase);
        if (ifExists)
        {
            name = name[..^"IfExists".Length];
        }

        return ConditionOperator.TryParse(name, out op) && !(ifExists && op.Family == OperatorFamily.Null);
    }

    private static bool Has(JsonElement statement, string name) => statement.TryGetProperty(name, out _);

    private static IReadOnlyList<string>? Elements(JsonElement statement, string name, string notName) =>
        statement.TryGetProperty(name, out JsonElement value) || statement.TryGetProperty(notName, out value)
            ? Strings(value)
            : null;

    /// <summary>A string or an array of strings; null for anything else.</summary>
    private static IReadOnlyList<string>? Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            [.. value.EnumerateArray().Select(e => e.GetString()!)],
        _ => null,
    };

    /// <summary>Condition values: strings, numbers or Booleans, alone or in an array.</summary>
    private static List<string>? ConditionValuesOf(JsonElement value)
    {
        static string? Scalar(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Scalar(value) is string one ? [one] : null;
        }

        var values = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (Scalar(item) is not string text)
            {
                return null;
            }

            values.Add(text);
        }

        return values;
    }

    private static string? GetStringOrNull(this JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
