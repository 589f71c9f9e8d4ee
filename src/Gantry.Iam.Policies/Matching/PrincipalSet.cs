namespace Gantry.Iam.Policies.Matching;

/// <summary>How a resource-based statement's Principal names the caller.</summary>
internal enum PrincipalMatch
{
    /// <summary>Not at all.</summary>
    None,

    /// <summary>Through the caller's account (an account id or its root ARN): the account delegates, the caller's
    /// identity policies must still allow.</summary>
    Account,

    /// <summary>Through the role of the caller's session: the session policy still applies.</summary>
    Role,

    /// <summary>The caller itself (its user or session ARN, "*", or its service): grants on its own in the
    /// same account.</summary>
    Direct,
}

/// <summary>The Principal or NotPrincipal of a resource-based statement: "*", or AWS (account ids, root ARNs,
/// user/role/session ARNs) and Service (service names) entries.</summary>
internal sealed class PrincipalSet
{
    private readonly bool _everyone;
    private readonly HashSet<string> _accounts;
    private readonly HashSet<string> _arns;
    private readonly HashSet<string> _services;
    private readonly bool _negated;

    public PrincipalSet(bool everyone, IEnumerable<string> aws, IEnumerable<string> services, bool negated)
    {
        _everyone = everyone;
        _negated = negated;
        _accounts = new HashSet<string>(StringComparer.Ordinal);
        _arns = new HashSet<string>(StringComparer.Ordinal);
        foreach (string entry in aws)
        {
            if (entry == "*")
            {
                _everyone = true;
            }
            else if (entry.Length == 12 && entry.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
            {
                _accounts.Add(entry);
            }
            else if (entry.StartsWith("arn:", StringComparison.Ordinal) && entry.EndsWith(":root", StringComparison.Ordinal))
            {
                string[] parts = entry.Split(':');
                _accounts.Add(parts.Length > 4 ? parts[4] : entry);
            }
            else
            {
                _arns.Add(entry);
            }
        }

        _services = new HashSet<string>(services, StringComparer.Ordinal);
    }

    public PrincipalMatch Match(RequestPrincipal? caller)
    {
        PrincipalMatch named = Named(caller);
        return !_negated ? named : named == PrincipalMatch.None ? PrincipalMatch.Direct : PrincipalMatch.None;
    }

    private PrincipalMatch Named(RequestPrincipal? caller)
    {
        if (_everyone)
        {
            return PrincipalMatch.Direct;
        }

        if (caller is null)
        {
            return PrincipalMatch.None;
        }

        if (_arns.Contains(caller.Arn) || (caller.ServiceName is not null && _services.Contains(caller.ServiceName)))
        {
            return PrincipalMatch.Direct;
        }

        if (caller.RoleArn is not null && _arns.Contains(caller.RoleArn))
        {
            return PrincipalMatch.Role;
        }

        return _accounts.Contains(caller.AccountId) ? PrincipalMatch.Account : PrincipalMatch.None;
    }
}
