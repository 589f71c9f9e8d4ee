namespace Gantry.LoadBalancing.State;

/// <summary>
/// Listeners of one kind (HTTP/HTTPS, or TCP) that follow the snapshots: each <see cref="ApplyAsync"/> opens the
/// listeners that are new, closes the ones that are gone (letting their connections finish) and makes every open one
/// route with the new snapshot.
/// </summary>
public interface IListenerSet : IAsyncDisposable
{
    Task ApplyAsync(LoadBalancingSnapshot snapshot, CancellationToken cancellationToken);
}
