namespace Gantry.Scheduling;

/// <summary>What one task needs from a container instance, and how its placement is constrained and ranked.</summary>
/// <param name="Group">The task group of the task being placed (<c>service:NAME</c> or <c>family:NAME</c>).</param>
/// <param name="Family">The task definition family.</param>
/// <param name="Cpu">CPU units the task reserves.</param>
/// <param name="Memory">Memory in MiB the task reserves.</param>
/// <param name="StaticTcpPorts">Fixed host TCP ports the task binds (dynamic host ports are not listed).</param>
/// <param name="RequiredAttributes">Attributes the instance must have (e.g. <c>ecs.capability.*</c> implied by the
/// task definition); a non-null value must match exactly.</param>
/// <param name="Constraints">Placement constraints: the task's and the task definition's together.</param>
/// <param name="Strategies">Placement strategies in priority order (at most <see cref="Placement.MaxStrategies"/>);
/// empty means <c>random</c>.</param>
public sealed record TaskDemand(
    string Group,
    string Family,
    int Cpu,
    int Memory,
    IReadOnlyList<int> StaticTcpPorts,
    IReadOnlyList<(string Name, string? Value)> RequiredAttributes,
    IReadOnlyList<PlacementConstraintSpec> Constraints,
    IReadOnlyList<PlacementStrategySpec> Strategies);
