using System.Collections.Frozen;
using Gantry.Api.Front;

namespace Gantry.Api.Authorization;

/// <summary>
/// What each operation acts on, for policy evaluation: the resources the service authorization reference names for its
/// action (an ARN, "*" for actions without resource-level permissions) with their policies, tags and condition keys.
/// An operation without a rule acts on "*". Built once at start-up, one rule per operation, beside the operations.
/// </summary>
public sealed class ResourceRules
{
    private readonly FrozenDictionary<string, Func<object, CancellationToken, ValueTask<IReadOnlyList<AuthorizationTarget>>>> _rules;
    private readonly FrozenSet<string> _unchecked;
    private readonly FrozenSet<string> _withPolicies;

    private ResourceRules(Dictionary<string, Func<object, CancellationToken, ValueTask<IReadOnlyList<AuthorizationTarget>>>> rules, HashSet<string> exempt,
        HashSet<string> withPolicies)
    {
        _rules = rules.ToFrozenDictionary(StringComparer.Ordinal);
        _unchecked = exempt.ToFrozenSet(StringComparer.Ordinal);
        _withPolicies = withPolicies.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the operation's resources may carry policies of their own (which can deny even the root).</summary>
    public bool MayCarryPolicies(AwsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _withPolicies.Contains(operation.Target);
    }

    /// <summary>Whether the operation needs no permission at all (sts:GetCallerIdentity).</summary>
    public bool IsUnchecked(AwsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _unchecked.Contains(operation.Target);
    }

    /// <summary>The resources <paramref name="input"/> of <paramref name="operation"/> acts on.</summary>
    public ValueTask<IReadOnlyList<AuthorizationTarget>> TargetsOf(AwsOperation operation, object input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _rules.TryGetValue(operation.Target, out var rule) ? rule(input, ct) : ValueTask.FromResult(AuthorizationTarget.AnyResource);
    }

    public sealed class Builder
    {
        private readonly Dictionary<string, Func<object, CancellationToken, ValueTask<IReadOnlyList<AuthorizationTarget>>>> _rules = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unchecked = new(StringComparer.Ordinal);
        private readonly HashSet<string> _withPolicies = new(StringComparer.Ordinal);

        /// <summary>The resources of operation <c>prefix.name</c>, read from its request; <paramref name="resourcePolicies"/> when
        /// they may carry policies of their own (read even for the root, whom only those can deny).</summary>
        public Builder For<TRequest>(string prefix, string name, Func<TRequest, CancellationToken, ValueTask<IReadOnlyList<AuthorizationTarget>>> rule,
            bool resourcePolicies = false)
            where TRequest : class
        {
            ArgumentNullException.ThrowIfNull(rule);
            _rules.Add($"{prefix}.{name}", (input, ct) => rule((TRequest)input, ct));
            if (resourcePolicies)
            {
                _withPolicies.Add($"{prefix}.{name}");
            }
            return this;
        }

        /// <summary>The resources of operation <c>prefix.name</c>, read from its request without I/O.</summary>
        public Builder For<TRequest>(string prefix, string name, Func<TRequest, IReadOnlyList<AuthorizationTarget>> rule)
            where TRequest : class
        {
            ArgumentNullException.ThrowIfNull(rule);
            return For<TRequest>(prefix, name, (request, _) => ValueTask.FromResult(rule(request)));
        }

        /// <summary>An operation anyone with a valid signature may call (as sts:GetCallerIdentity in AWS).</summary>
        public Builder Unchecked(string prefix, string name)
        {
            _unchecked.Add($"{prefix}.{name}");
            return this;
        }

        public ResourceRules Build() => new(_rules, _unchecked, _withPolicies);
    }
}
