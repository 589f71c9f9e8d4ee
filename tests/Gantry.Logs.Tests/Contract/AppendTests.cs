namespace Gantry.Logs.Tests.Contract;

public abstract class AppendTests : LogStoreContract
{
    [Fact]
    public async Task Missing_group_or_stream_is_reported_and_nothing_is_stored()
    {
        await using var temp = await OpenAsync();
        var events = new[] { new NewLogEvent(1, "x") };
        Assert.Equal(new AppendResult(StreamOutcome.GroupNotFound, 0, 0), await temp.Store.AppendAsync("g", "s", events, 5, false, Ct));
        Assert.Null(await temp.Store.GetGroupAsync("g", Ct));
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.StreamNotFound, 0, 0), await temp.Store.AppendAsync("g", "s", events, 5, false, Ct));
        Assert.Empty((await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 10, Ct))!.Events);
    }

    [Fact]
    public async Task Create_missing_creates_group_and_stream_at_ingestion_time()
    {
        await using var temp = await OpenAsync();
        var result = await temp.Store.AppendAsync("g", "s", [new NewLogEvent(1, "x"), new NewLogEvent(2, "y")], 5, true, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 0, 2), result);
        Assert.Equal(5, (await temp.Store.GetGroupAsync("g", Ct))!.CreationTime);
        Assert.Equal(5, (await temp.Store.DescribeStreamsAsync("g", null, false, false, null, 1, Ct))!.Items[0].CreationTime);
    }

    [Fact]
    public async Task An_empty_append_checks_the_stream_and_reports_its_offset()
    {
        await using var temp = await OpenAsync();
        Assert.Equal(StreamOutcome.GroupNotFound, (await temp.Store.AppendAsync("g", "s", [], 5, false, Ct)).Outcome);
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(1, "x", 40)], 5, true, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 40, 0), await temp.Store.AppendAsync("g", "s", [], 6, false, Ct));
    }

    [Fact]
    public async Task Resent_source_offsets_are_skipped_and_the_offset_is_the_highest_stored()
    {
        await using var temp = await OpenAsync();
        Assert.Equal(StreamOutcome.GroupNotFound, (await temp.Store.GetSourceOffsetAsync("g", "s", Ct)).Outcome);
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        Assert.Equal(StreamOutcome.StreamNotFound, (await temp.Store.GetSourceOffsetAsync("g", "s", Ct)).Outcome);
        await temp.Store.CreateStreamAsync("g", "s", 1, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 0, 0), await temp.Store.GetSourceOffsetAsync("g", "s", Ct));

        var first = await temp.Store.AppendAsync("g", "s", [new(1, "line1", 6), new(2, "line2", 12)], 10, false, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 12, 2), first);

        // The shipper crashed after the append and resends from offset 0, plus one new line.
        var resent = await temp.Store.AppendAsync("g", "s", [new(1, "line1", 6), new(2, "line2", 12), new(3, "line3", 18)], 11, false, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 18, 1), resent);

        // PutLogEvents events (offset 0) are never skipped and leave the offset alone.
        var put = await temp.Store.AppendAsync("g", "s", [new(4, "api"), new(5, "api")], 12, false, Ct);
        Assert.Equal(new AppendResult(StreamOutcome.Done, 18, 2), put);

        Assert.Equal(18, (await temp.Store.GetSourceOffsetAsync("g", "s", Ct)).SourceOffset);
        var all = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 100, Ct);
        Assert.Equal(["line1", "line2", "line3", "api", "api"], all.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task Offsets_are_kept_per_stream()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "a", [new(1, "a", 100)], 1, true, Ct);
        Assert.Equal(1, (await temp.Store.AppendAsync("g", "b", [new(1, "b", 50)], 1, true, Ct)).Stored);
        Assert.Equal(50, (await temp.Store.GetSourceOffsetAsync("g", "b", Ct)).SourceOffset);
    }

    [Fact]
    public async Task Stored_events_carry_ingestion_time_and_increasing_ids()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "s", [new(10, "a"), new(10, "b")], 77, true, Ct);
        var events = (await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct)).Events;
        Assert.All(events, e => Assert.Equal(77, e.IngestionTime));
        Assert.All(events, e => Assert.Equal("s", e.StreamName));
        Assert.True(events[0].Id < events[1].Id);
        Assert.Equal(20, events[0].EventId.Length);
    }
}
