namespace Gantry.Reconciliation;

/// <summary>The ECS string values the reconcile step reads and writes.</summary>
internal static class EcsValues
{
    public const string Replica = "REPLICA";
    public const string Daemon = "DAEMON";

    public const string Primary = "PRIMARY";
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";

    public const string InProgress = "IN_PROGRESS";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
}
