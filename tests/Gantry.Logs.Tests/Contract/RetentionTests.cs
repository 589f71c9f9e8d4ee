namespace Gantry.Logs.Tests.Contract;

public abstract class RetentionTests : LogStoreContract
{
    private const long Day = 86_400_000;

    [Fact]
    public async Task Events_older_than_retention_are_deleted_and_bytes_follow()
    {
        await using var temp = await OpenAsync();
        var now = 100 * Day;
        await temp.Store.AppendAsync("kept", "s", [new(1, "ancient")], 1, true, Ct);
        await temp.Store.AppendAsync("short", "a", [new(now - (3 * Day), "aaa"), new(now - Day - 1, "bb"), new(now - Day, "c"), new(now, "dddd")], 1, true, Ct);
        await temp.Store.AppendAsync("short", "b", [new(now - (2 * Day), "eeeee")], 1, true, Ct);
        await temp.Store.SetRetentionAsync("short", 1, Ct);

        Assert.Equal(3, await temp.Store.DeleteExpiredAsync(now, Ct));

        var remaining = (await temp.Store.FilterEventsAsync("short", null, null, null, null, FilterPattern.All, null, 100, Ct))!;
        Assert.Equal(["c", "dddd"], remaining.Events.Select(e => e.Message));
        Assert.Equal(5, (await temp.Store.GetGroupAsync("short", Ct))!.StoredBytes);
        var streams = (await temp.Store.DescribeStreamsAsync("short", null, false, false, null, 10, Ct))!.Items;
        Assert.Equal((5, now - Day), (streams[0].StoredBytes, streams[0].FirstEventTimestamp));
        Assert.Equal(0, streams[1].StoredBytes);
        Assert.Equal(7, (await temp.Store.GetGroupAsync("kept", Ct))!.StoredBytes);
        Assert.Equal(0, await temp.Store.DeleteExpiredAsync(now, Ct));
    }

    [Fact]
    public async Task Many_expired_events_are_deleted_in_chunks()
    {
        await using var temp = await OpenAsync();
        var count = (2 * LogLimits.DeleteChunk) + 123;
        await temp.Store.AppendAsync("g", "s", Enumerable.Range(0, count).Select(i => new NewLogEvent(i, "xy")).ToArray(), 1, true, Ct);
        await temp.Store.AppendAsync("g", "s", [new(10 * Day, "new")], 1, true, Ct);
        await temp.Store.SetRetentionAsync("g", 1, Ct);
        Assert.Equal(count, await temp.Store.DeleteExpiredAsync(10 * Day, Ct));
        Assert.Equal(3, (await temp.Store.GetGroupAsync("g", Ct))!.StoredBytes);
    }

    [Fact]
    public async Task Deleting_a_large_group_purges_every_event()
    {
        await using var temp = await OpenAsync();
        var count = (2 * LogLimits.DeleteChunk) + 1;
        await temp.Store.AppendAsync("g", "s", Enumerable.Range(0, count).Select(i => new NewLogEvent(i, "x")).ToArray(), 1, true, Ct);
        await temp.Store.AppendAsync("other", "s", [new(1, "stays")], 1, true, Ct);
        Assert.True(await temp.Store.DeleteGroupAsync("g", Ct));
        await temp.Store.AppendAsync("g", "s", [new(1, "fresh")], 1, true, Ct);
        var page = (await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 100, Ct))!;
        Assert.Equal(["fresh"], page.Events.Select(e => e.Message));
        Assert.Single((await temp.Store.FilterEventsAsync("other", null, null, null, null, FilterPattern.All, null, 100, Ct))!.Events);
    }
}
