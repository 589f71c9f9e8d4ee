namespace Gantry.Logs.Tests.Contract;

public abstract class StreamEventsTests : LogStoreContract
{
    /// <summary>Ten events at timestamps 100, 110, ... 190 with messages m0..m9.</summary>
    private async Task<TempLogStore> TenEventsAsync()
    {
        var temp = await OpenAsync();
        var events = Enumerable.Range(0, 10).Select(i => new NewLogEvent(100 + (10 * i), $"m{i}")).ToArray();
        await temp.Store.AppendAsync("g", "s", events, 1000, true, Ct);
        return temp;
    }

    private static string[] Messages(StreamEventsPage page) => [.. page.Events.Select(e => e.Message)];

    [Fact]
    public async Task Missing_group_or_stream_has_no_tokens()
    {
        await using var temp = await OpenAsync();
        var missingGroup = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct);
        Assert.Equal((StreamOutcome.GroupNotFound, 0, null, null),
            (missingGroup.Outcome, missingGroup.Events.Count, missingGroup.NextForwardToken, missingGroup.NextBackwardToken));
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct);
        Assert.Equal(StreamOutcome.StreamNotFound, page.Outcome);
        Assert.Null(page.NextForwardToken);
        Assert.Null(page.NextBackwardToken);
    }

    [Fact]
    public async Task From_head_reads_the_oldest_and_forward_tokens_read_on_to_the_end()
    {
        await using var temp = await TenEventsAsync();
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 4, Ct);
        Assert.Equal(["m0", "m1", "m2", "m3"], Messages(page));
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, page.NextForwardToken, 4, Ct);
        Assert.Equal(["m4", "m5", "m6", "m7"], Messages(page));
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, page.NextForwardToken, 4, Ct);
        Assert.Equal(["m8", "m9"], Messages(page));
        var end = page.NextForwardToken!;
        Assert.StartsWith("f/", end, StringComparison.Ordinal);

        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, end, 4, Ct);
        Assert.Empty(page.Events);
        Assert.Equal(end, page.NextForwardToken);

        // New events show up from the same token.
        await temp.Store.AppendAsync("g", "s", [new(500, "m10")], 2000, false, Ct);
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, end, 4, Ct);
        Assert.Equal(["m10"], Messages(page));
    }

    [Fact]
    public async Task Without_head_reads_the_newest_in_ascending_order_and_backward_tokens_page_older()
    {
        await using var temp = await TenEventsAsync();
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, null, 4, Ct);
        Assert.Equal(["m6", "m7", "m8", "m9"], Messages(page));
        Assert.StartsWith("b/", page.NextBackwardToken, StringComparison.Ordinal);
        var tail = page.NextForwardToken;

        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, page.NextBackwardToken, 4, Ct);
        Assert.Equal(["m2", "m3", "m4", "m5"], Messages(page));
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, page.NextBackwardToken, 4, Ct);
        Assert.Equal(["m0", "m1"], Messages(page));
        var start = page.NextBackwardToken!;

        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, start, 4, Ct);
        Assert.Empty(page.Events);
        Assert.Equal(start, page.NextBackwardToken);
        // Reading forward from the start begins with the first event.
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, page.NextForwardToken, 3, Ct);
        Assert.Equal(["m0", "m1", "m2"], Messages(page));

        // The forward token of the tail page is at the end.
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, tail, 4, Ct);
        Assert.Empty(page.Events);
        Assert.Equal(tail, page.NextForwardToken);
        // Reading backward from the end includes the last event.
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, page.NextBackwardToken, 2, Ct);
        Assert.Equal(["m8", "m9"], Messages(page));
    }

    [Fact]
    public async Task Forward_after_backward_returns_to_the_events_already_seen()
    {
        await using var temp = await TenEventsAsync();
        var tail = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, null, 3, Ct);
        var older = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, tail.NextBackwardToken, 3, Ct);
        Assert.Equal(["m4", "m5", "m6"], Messages(older));
        var again = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, older.NextForwardToken, 3, Ct);
        Assert.Equal(["m7", "m8", "m9"], Messages(again));
    }

    [Fact]
    public async Task Time_bounds_are_start_inclusive_and_end_exclusive()
    {
        await using var temp = await TenEventsAsync();
        var head = await temp.Store.GetStreamEventsAsync("g", "s", 120, 160, true, null, 100, Ct);
        Assert.Equal(["m2", "m3", "m4", "m5"], Messages(head));
        var tail = await temp.Store.GetStreamEventsAsync("g", "s", 120, 160, false, null, 2, Ct);
        Assert.Equal(["m4", "m5"], Messages(tail));
        var older = await temp.Store.GetStreamEventsAsync("g", "s", 120, 160, false, tail.NextBackwardToken, 5, Ct);
        Assert.Equal(["m2", "m3"], Messages(older));
        var newer = await temp.Store.GetStreamEventsAsync("g", "s", 120, 160, true, tail.NextForwardToken, 5, Ct);
        Assert.Empty(newer.Events);
        Assert.Equal(tail.NextForwardToken, newer.NextForwardToken);
    }

    [Fact]
    public async Task Events_of_equal_timestamps_page_without_loss_or_repeat()
    {
        await using var temp = await OpenAsync();
        var events = Enumerable.Range(0, 25).Select(i => new NewLogEvent(i < 20 ? 5 : 6, $"e{i}")).ToArray();
        await temp.Store.AppendAsync("g", "s", events, 1, true, Ct);
        var seen = new List<string>();
        string? token = null;
        for (var i = 0; i < 20; i++)
        {
            var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, token, 3, Ct);
            if (page.Events.Count == 0)
            {
                Assert.Equal(token, page.NextForwardToken);
                break;
            }
            seen.AddRange(page.Events.Select(e => e.Message));
            token = page.NextForwardToken;
        }
        Assert.Equal(events.Select(e => e.Message), seen);

        var backward = new List<string>();
        token = null;
        for (var i = 0; i < 20; i++)
        {
            var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, token, 4, Ct);
            if (page.Events.Count == 0)
            {
                break;
            }
            backward.InsertRange(0, page.Events.Select(e => e.Message));
            token = page.NextBackwardToken;
        }
        Assert.Equal(events.Select(e => e.Message), backward);
    }

    [Fact]
    public async Task An_empty_stream_gives_tokens_that_find_later_events()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        await temp.Store.CreateStreamAsync("g", "s", 1, Ct);
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, null, 10, Ct);
        Assert.Empty(page.Events);
        Assert.NotNull(page.NextBackwardToken);
        await temp.Store.AppendAsync("g", "s", [new(1, "first")], 1, false, Ct);
        page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, page.NextForwardToken, 10, Ct);
        Assert.Equal(["first"], Messages(page));
    }

    [Fact]
    public async Task Tokens_at_the_edges_of_the_key_space_saturate_instead_of_wrapping_and_round_trip()
    {
        await using var temp = await TenEventsAsync();
        // An empty range: both tokens at the origin, which reads as zero, not as a wrapped 2^63.
        var empty = await temp.Store.GetStreamEventsAsync("g", "s", long.MaxValue, long.MaxValue, false, null, 4, Ct);
        Assert.Equal(("f/0/0", "b/0/0"), (empty.NextForwardToken, empty.NextBackwardToken));
        // Backward from the origin once produced id -1, which the store then refused as not its own.
        var before = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, empty.NextBackwardToken, 4, Ct);
        Assert.Equal(("f/0/0", "b/0/0"), (before.NextForwardToken, before.NextBackwardToken));
        var all = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, before.NextForwardToken, 20, Ct);
        Assert.Equal(10, all.Events.Count);
        // Forward past the largest key: the backward token stays at the largest id rather than wrapping to the smallest.
        var last = $"f/{long.MaxValue}/{long.MaxValue}";
        var past = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, last, 4, Ct);
        Assert.Equal((last, $"b/{long.MaxValue}/{long.MaxValue}"), (past.NextForwardToken, past.NextBackwardToken));
    }

    [Theory]
    [InlineData("f/-1/0")]
    [InlineData("x/1/2")]
    [InlineData("f/abc/1")]
    [InlineData("f/1")]
    [InlineData("e/1/2")]
    public async Task Unreadable_tokens_are_ArgumentExceptions(string token)
    {
        await using var temp = await TenEventsAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => temp.Store.GetStreamEventsAsync("g", "s", null, null, true, token, 10, Ct));
        // The reader that threw is still usable.
        Assert.Equal(10, (await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct)).Events.Count);
    }

    [Fact]
    public async Task A_page_stops_near_one_megabyte()
    {
        await using var temp = await OpenAsync();
        var big = new string('x', 200_000);
        await temp.Store.AppendAsync("g", "s", Enumerable.Range(0, 8).Select(i => new NewLogEvent(i, big)).ToArray(), 1, true, Ct);
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 100, Ct);
        Assert.Equal(5, page.Events.Count);
        var rest = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, page.NextForwardToken, 100, Ct);
        Assert.Equal(3, rest.Events.Count);
        var tail = await temp.Store.GetStreamEventsAsync("g", "s", null, null, false, null, 100, Ct);
        Assert.Equal([3, 4, 5, 6, 7], tail.Events.Select(e => e.Timestamp));
    }
}
