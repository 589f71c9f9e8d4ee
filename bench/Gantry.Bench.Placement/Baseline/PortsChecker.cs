using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// Rejects instances where a static host port of the task is already taken. A task that asks for the same host port
/// twice fits nowhere.
/// </summary>
internal sealed class PortsChecker : IFeasibilityChecker
{
    private readonly IReadOnlyList<int> _ports;
    private readonly bool _duplicated;

    public PortsChecker(IReadOnlyList<int> ports)
    {
        _ports = ports;
        _duplicated = new HashSet<int>(ports).Count != ports.Count;
    }

    public string? Check(Candidate candidate)
    {
        if (_duplicated)
        {
            return PlacementFailureReasons.Ports;
        }

        foreach (int port in _ports)
        {
            if (candidate.UsedTcpPorts.Contains(port))
            {
                return PlacementFailureReasons.Ports;
            }
        }

        return null;
    }
}
