namespace Gantry.Logs.Tests.Contract;

public abstract class StreamTests : LogStoreContract
{
    [Fact]
    public async Task Create_and_delete_report_missing_groups_streams_and_duplicates()
    {
        await using var temp = await OpenAsync();
        Assert.Equal(StreamOutcome.GroupNotFound, await temp.Store.CreateStreamAsync("g", "s", 1, Ct));
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        Assert.Equal(StreamOutcome.Done, await temp.Store.CreateStreamAsync("g", "s", 1, Ct));
        Assert.Equal(StreamOutcome.StreamExists, await temp.Store.CreateStreamAsync("g", "s", 1, Ct));
        Assert.Equal(StreamOutcome.GroupNotFound, await temp.Store.DeleteStreamAsync("x", "s", Ct));
        Assert.Equal(StreamOutcome.StreamNotFound, await temp.Store.DeleteStreamAsync("g", "t", Ct));
        Assert.Equal(StreamOutcome.Done, await temp.Store.DeleteStreamAsync("g", "s", Ct));
        Assert.Equal(StreamOutcome.StreamNotFound, await temp.Store.DeleteStreamAsync("g", "s", Ct));
        Assert.Null(await temp.Store.DescribeStreamsAsync("x", null, false, false, null, 10, Ct));
    }

    [Fact]
    public async Task Deleting_a_stream_removes_its_events_and_bytes_from_the_group()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "a", [new NewLogEvent(1, "aaaa")], 1, createMissing: true, Ct);
        await temp.Store.AppendAsync("g", "b", [new NewLogEvent(2, "bb")], 1, createMissing: true, Ct);
        await temp.Store.DeleteStreamAsync("g", "a", Ct);
        Assert.Equal(2, (await temp.Store.GetGroupAsync("g", Ct))!.StoredBytes);
        await temp.Store.CreateStreamAsync("g", "a", 5, Ct);
        var page = await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 100, Ct);
        Assert.Equal(["bb"], page!.Events.Select(e => e.Message));
        Assert.Equal(StreamOutcome.Done, (await temp.Store.GetStreamEventsAsync("g", "a", null, null, true, null, 10, Ct)).Outcome);
        Assert.Empty((await temp.Store.GetStreamEventsAsync("g", "a", null, null, true, null, 10, Ct)).Events);
    }

    [Fact]
    public async Task Describe_by_name_pages_with_prefix_in_both_directions()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        foreach (var name in new[] { "web/1", "web/2", "web/3", "api/1", "web/4" })
        {
            await temp.Store.CreateStreamAsync("g", name, 7, Ct);
        }
        Assert.Equal(["web/1", "web/2", "web/3", "web/4"], await AllNames(temp, "web/", byTime: false, descending: false, pageSize: 3));
        Assert.Equal(["web/4", "web/3", "web/2", "web/1"], await AllNames(temp, "web/", byTime: false, descending: true, pageSize: 3));
        Assert.Equal(["api/1", "web/1", "web/2", "web/3", "web/4"], await AllNames(temp, null, byTime: false, descending: false, pageSize: 2));
        var first = (await temp.Store.DescribeStreamsAsync("g", "api/", false, false, null, 10, Ct))!.Items.Single();
        Assert.Equal(new LogStreamInfo("api/1", 7, null, null, null, 0), first);
    }

    [Fact]
    public async Task Describe_by_last_event_time_puts_streams_without_events_last()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        await temp.Store.CreateStreamAsync("g", "empty-b", 1, Ct);
        await temp.Store.CreateStreamAsync("g", "empty-a", 1, Ct);
        await temp.Store.AppendAsync("g", "old", [new NewLogEvent(100, "x")], 1000, false, Ct);
        await temp.Store.AppendAsync("g", "new", [new NewLogEvent(300, "x")], 1000, true, Ct);
        await temp.Store.AppendAsync("g", "mid", [new NewLogEvent(200, "x")], 1000, true, Ct);
        await temp.Store.AppendAsync("g", "mid2", [new NewLogEvent(200, "x")], 1000, true, Ct);
        await temp.Store.CreateStreamAsync("g", "old", 1, Ct);
        await temp.Store.AppendAsync("g", "old", [new NewLogEvent(100, "x")], 1000, false, Ct);

        for (var pageSize = 1; pageSize <= 7; pageSize++)
        {
            Assert.Equal(["new", "mid2", "mid", "old", "empty-b", "empty-a"], await AllNames(temp, null, byTime: true, descending: true, pageSize));
            Assert.Equal(["old", "mid", "mid2", "new", "empty-a", "empty-b"], await AllNames(temp, null, byTime: true, descending: false, pageSize));
        }
    }

    [Fact]
    public async Task Describe_shows_event_times_and_bytes()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(100, "héllo"), new NewLogEvent(150, "x")], 1000, true, Ct);
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(120, "late")], 2000, true, Ct);
        var stream = (await temp.Store.DescribeStreamsAsync("g", null, false, false, null, 10, Ct))!.Items.Single();
        Assert.Equal(new LogStreamInfo("s", 1000, 100, 150, 2000, 6 + 1 + 4), stream);
        Assert.Equal(11, (await temp.Store.GetGroupAsync("g", Ct))!.StoredBytes);
    }

    private static async Task<List<string>> AllNames(TempLogStore temp, string? prefix, bool byTime, bool descending, int pageSize)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = (await temp.Store.DescribeStreamsAsync("g", prefix, byTime, descending, token, pageSize, Ct))!;
            Assert.True(page.Items.Count <= pageSize);
            names.AddRange(page.Items.Select(s => s.Name));
            token = page.NextToken;
        }
        while (token is not null);
        return names;
    }
}
