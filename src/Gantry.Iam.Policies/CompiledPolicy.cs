using Gantry.Iam.Policies.Matching;

namespace Gantry.Iam.Policies;

/// <summary>
/// A parsed, validated policy document, compiled for evaluation: statements indexed by the service prefix of their
/// actions (statements with a wildcard service or NotAction are checked for every request). Immutable; share one
/// instance between requests and threads (see <see cref="PolicyCache"/>).
/// </summary>
public sealed class CompiledPolicy
{
    private readonly Dictionary<string, CompiledStatement[]> _byService;
    private readonly Dictionary<string, CompiledStatement[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly CompiledStatement[] _everyService;

    internal CompiledPolicy(PolicyKind kind, string version, IReadOnlyList<CompiledStatement> statements)
    {
        Kind = kind;
        Version = version;
        StatementCount = statements.Count;
        var byService = new Dictionary<string, List<CompiledStatement>>(StringComparer.OrdinalIgnoreCase);
        var everyService = new List<CompiledStatement>();
        foreach (CompiledStatement statement in statements)
        {
            if (statement.IsNotAction || statement.Actions.Any(a => a.Service is null))
            {
                everyService.Add(statement);
                continue;
            }

            foreach (string service in statement.Actions.Select(a => a.Service!).Distinct())
            {
                if (!byService.TryGetValue(service, out List<CompiledStatement>? list))
                {
                    byService[service] = list = [];
                }

                list.Add(statement);
            }
        }

        _byService = byService.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _lookup = _byService.GetAlternateLookup<ReadOnlySpan<char>>();
        _everyService = [.. everyService];
    }

    /// <summary>Identity or resource policy.</summary>
    public PolicyKind Kind { get; }

    /// <summary>"2012-10-17" or "2008-10-17" (the default when the document has none; no policy variables).</summary>
    public string Version { get; }

    /// <summary>How many statements the document has.</summary>
    public int StatementCount { get; }

    /// <summary>The first matching Deny, else the matching Allow that names the caller most directly.</summary>
    internal PolicyMatch Match(ReadOnlySpan<char> service, ReadOnlySpan<char> name, EvaluationRequest request)
    {
        PolicyMatch best = default;
        if (_lookup.TryGetValue(service, out CompiledStatement[]? statements)
            && Scan(statements, service, name, request, ref best))
        {
            return best;
        }

        Scan(_everyService, service, name, request, ref best);
        return best;
    }

    private bool Scan(CompiledStatement[] statements, ReadOnlySpan<char> service, ReadOnlySpan<char> name,
        EvaluationRequest request, ref PolicyMatch best)
    {
        foreach (CompiledStatement statement in statements)
        {
            if (statement.IsDeny ? best.Deny is not null : best.Principal == PrincipalMatch.Direct)
            {
                continue;
            }

            PrincipalMatch principal = Kind == PolicyKind.Resource
                ? statement.MatchPrincipal(request.Principal)
                : PrincipalMatch.Direct;
            if (principal == PrincipalMatch.None || !statement.AppliesTo(service, name, request))
            {
                continue;
            }

            if (statement.IsDeny)
            {
                best = best with { Deny = statement };
                return true;
            }

            if (principal > best.Principal)
            {
                best = best with { Allow = statement, Principal = principal };
            }
        }

        return false;
    }
}

/// <summary>What one policy says about a request.</summary>
internal readonly record struct PolicyMatch(CompiledStatement? Deny, CompiledStatement? Allow, PrincipalMatch Principal);
