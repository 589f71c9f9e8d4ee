namespace Gantry.Api.Front;

/// <summary>
/// The server-wide budget of request body bytes in flight, so that memory before (and during) authentication is
/// bounded. A request whose headers passed reserves its body's size before reading a byte of it and gives it back
/// once answered; when the budget is spent,
/// reservations wait their turn (first come, first served) for a bounded time, then are refused.
/// </summary>
public sealed class RequestBodyBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly long _capacity;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private long _available;

    public RequestBodyBudget(long capacity, TimeSpan maxWait, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = _available = capacity;
        _maxWait = maxWait;
        _time = time;
    }

    /// <summary>Bytes not reserved right now.</summary>
    public long Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> (at most the capacity); null when the budget stayed spent for the whole wait.</summary>
    public async ValueTask<IDisposable?> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, _capacity);
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return new Reservation(this, bytes);
            }
            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }
        using var timeout = new CancellationTokenSource(_maxWait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        bool granted;
        using (either.Token.Register(() => Abandon(waiter)))
        {
            granted = await waiter.Granted.Task.ConfigureAwait(false);
        }
        if (granted)
        {
            return new Reservation(this, bytes);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }

    private void Abandon(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return; // already granted
            }
            _waiters.Remove(waiter.Node);
            waiter.Granted.TrySetResult(false);
            GrantWaiting(); // those queued behind it may fit now
        }
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _available += bytes;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiters.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult(true);
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes => bytes;
        public TaskCompletionSource<bool> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private sealed class Reservation(RequestBodyBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
