namespace Gantry.Scheduling.Capacity;

/// <summary>One item of a capacity provider strategy: a provider, the tasks it runs first (<paramref name="Base"/>) and
/// its share of the rest (<paramref name="Weight"/>; 0 = never beyond its base).</summary>
public sealed record CapacityShare(string Provider, int Base, int Weight);
