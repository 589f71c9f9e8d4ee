namespace Gantry.ControlPlane.Agents;

/// <summary>How far this replica's <see cref="AgentTaskFeed"/> has followed the store's change feed (what `gantry cluster
/// status` reports as its lag).</summary>
public sealed class FeedPosition
{
    private long _revision = -1;

    /// <summary>The newest revision handled; -1 before the follower starts.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    internal void MoveTo(long revision) => Interlocked.Exchange(ref _revision, revision);
}
