namespace Gantry.Logs.Tests.Contract;

/// <summary>A store over a database of its own, removed on dispose; <see cref="ReopenAsync"/> keeps the database (a restart).</summary>
public sealed class TempLogStore : IAsyncDisposable
{
    private readonly Func<Task<ILogStore>> _open;
    private readonly Func<Task> _remove;

    private TempLogStore(Func<Task<ILogStore>> open, Func<Task> remove) => (_open, _remove) = (open, remove);

    public ILogStore Store { get; private set; } = null!;

    /// <summary>Bounds every call of a test: the store's lock waits observe it.</summary>
    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <param name="open">Opens a store over the test's database (again, on reopen).</param>
    /// <param name="remove">Removes the database once the store is disposed.</param>
    public static async Task<TempLogStore> OpenAsync(Func<Task<ILogStore>> open, Func<Task> remove)
    {
        var temp = new TempLogStore(open, remove);
        temp.Store = await open();
        return temp;
    }

    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await _open();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _remove();
    }
}
