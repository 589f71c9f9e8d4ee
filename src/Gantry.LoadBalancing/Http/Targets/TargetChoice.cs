namespace Gantry.LoadBalancing.Http.Targets;

/// <summary>The target a request goes to, and whether the response must (re)set the group's stickiness cookie.</summary>
internal readonly record struct TargetChoice(TargetEntry? Target, GroupStickiness? Stickiness);
