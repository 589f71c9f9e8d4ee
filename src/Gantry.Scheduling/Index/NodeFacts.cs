namespace Gantry.Scheduling.Index;

/// <summary>An instance's status, agent and resources left: the part of a <see cref="Candidate"/> every placement reads.</summary>
internal readonly record struct NodeFacts(bool Active, bool Connected, int Cpu, int Memory)
{
    public static NodeFacts Of(Candidate candidate) =>
        new(candidate.Active, candidate.Connected, candidate.RemainingCpu, candidate.RemainingMemory);
}
