using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>
/// The attribute form of the cluster query language for ListContainerInstances' filter:
/// <c>attribute:NAME [== VALUE | != VALUE | exists]</c> joined by <c>and</c>.
/// </summary>
public sealed record ContainerInstanceFilter(IReadOnlyList<(string Name, string Operator, string? Value)> Terms)
{
    public static ContainerInstanceFilter Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var terms = new List<(string, string, string?)>();
        foreach (var clause in expression.Split(" and ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !parts[0].StartsWith("attribute:", StringComparison.Ordinal))
            {
                throw EcsErrors.InvalidParameter($"Unsupported filter expression '{clause}': expected attribute:NAME == VALUE, != VALUE or exists.");
            }
            var name = parts[0]["attribute:".Length..];
            terms.Add(parts switch
            {
                [_] or [_, "exists"] => (name, "exists", null),
                [_, "==" or "!=", var value] => (name, parts[1], value),
                _ => throw EcsErrors.InvalidParameter($"Unsupported filter expression '{clause}'."),
            });
        }
        return new ContainerInstanceFilter(terms);
    }

    public bool Matches(ContainerInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Terms.All(term =>
        {
            var attribute = instance.Attributes?.FirstOrDefault(a => a.Name == term.Name);
            return term.Operator switch
            {
                "exists" => attribute is not null,
                "==" => attribute is not null && (attribute.Value ?? "") == term.Value,
                _ => attribute is null || (attribute.Value ?? "") != term.Value,
            };
        });
    }
}
