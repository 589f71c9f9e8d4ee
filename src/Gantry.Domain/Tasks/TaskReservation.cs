namespace Gantry.Domain.Tasks;

/// <summary>What a task holds on its container instance until it stops: CPU units, MiB and static host TCP ports.</summary>
public sealed record TaskReservation(int Cpu, int Memory, IReadOnlyList<int> Ports);
