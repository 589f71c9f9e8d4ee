namespace Gantry.ControlPlane.Retention;

/// <summary>What the store's change feed keeps: every change younger than <paramref name="KeepFor"/> and the newest
/// <paramref name="KeepRevisions"/> revisions (<see cref="ChangeFeedCompactor"/> lets go only what both allow).</summary>
public sealed record ChangeFeedRetention(TimeSpan KeepFor, long KeepRevisions)
{
    public static ChangeFeedRetention Default { get; } = new(TimeSpan.FromMinutes(15), 100_000);
}
