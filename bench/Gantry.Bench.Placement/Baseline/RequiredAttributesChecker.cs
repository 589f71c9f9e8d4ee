using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// Rejects instances lacking an attribute the task requires, or having it with another value when the requirement
/// names one (<see cref="PlacementFailureReasons.Attribute"/>).
/// </summary>
internal sealed class RequiredAttributesChecker(IReadOnlyList<(string Name, string? Value)> required) : IFeasibilityChecker
{
    public string? Check(Candidate candidate)
    {
        foreach ((string name, string? value) in required)
        {
            if (!candidate.Attributes.TryGetValue(name, out string? actual))
            {
                return PlacementFailureReasons.Attribute;
            }

            if (value is not null && !string.Equals(value, actual, StringComparison.Ordinal))
            {
                return PlacementFailureReasons.Attribute;
            }
        }

        return null;
    }
}
