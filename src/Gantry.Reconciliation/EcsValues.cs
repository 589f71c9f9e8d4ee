namespace Gantry.Reconciliation;

/// <summary>The deployment statuses the reconcile step reads and writes (the model has no enum for them; the other
/// ECS values come from Gantry.Domain: task statuses, rollout states, scheduling strategies).</summary>
internal static class EcsValues
{
    public const string Primary = "PRIMARY";
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
}
