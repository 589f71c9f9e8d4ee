using Gantry.Api.Front;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Api.Tests.Front;

public sealed class RequestBodyBudgetTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Reservations_within_the_budget_are_granted_at_once_and_given_back()
    {
        var budget = new RequestBodyBudget(100, TimeSpan.FromSeconds(5), _time);
        var first = await budget.ReserveAsync(60, default);
        var second = await budget.ReserveAsync(40, default);
        Assert.Equal(0, budget.Available);
        first!.Dispose();
        first.Dispose();
        second!.Dispose();
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task Over_the_budget_waits_in_order_until_bytes_come_back()
    {
        var budget = new RequestBodyBudget(100, TimeSpan.FromSeconds(5), _time);
        var held = await budget.ReserveAsync(90, default);
        var big = budget.ReserveAsync(50, default).AsTask();
        var small = budget.ReserveAsync(5, default).AsTask();
        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted); // 5 would fit, but waits behind the first in line

        held!.Dispose();

        using var bigLease = await big.WaitAsync(Bound);
        using var smallLease = await small.WaitAsync(Bound);
        Assert.NotNull(bigLease);
        Assert.NotNull(smallLease);
        Assert.Equal(45, budget.Available);
    }

    [Fact]
    public async Task A_reservation_that_waits_too_long_is_refused_and_unblocks_those_behind_it()
    {
        var budget = new RequestBodyBudget(100, TimeSpan.FromSeconds(5), _time);
        using var held = await budget.ReserveAsync(90, default);
        var big = budget.ReserveAsync(50, default).AsTask();
        _time.Advance(TimeSpan.FromSeconds(3));
        var small = budget.ReserveAsync(10, default).AsTask();
        Assert.False(small.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await big.WaitAsync(Bound));
        using var smallLease = await small.WaitAsync(Bound);
        Assert.NotNull(smallLease);
        Assert.Equal(0, budget.Available);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_takes_nothing()
    {
        var budget = new RequestBodyBudget(100, TimeSpan.FromSeconds(5), _time);
        var held = await budget.ReserveAsync(100, default);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.ReserveAsync(10, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound));
        held!.Dispose();
        Assert.Equal(100, budget.Available);
    }
}
