namespace Gantry.Logs.Tests.Contract;

public abstract class FilterEventsTests : LogStoreContract
{
    private static async Task<List<StoredLogEvent>> AllPagesAsync(TempLogStore temp, FilterPattern pattern, int limit,
        IReadOnlyList<string>? streams = null, string? prefix = null, long? start = null, long? end = null)
    {
        var events = new List<StoredLogEvent>();
        string? token = null;
        do
        {
            var page = (await temp.Store.FilterEventsAsync("g", streams, prefix, start, end, pattern, token, limit, Ct))!;
            Assert.True(page.Events.Count <= limit);
            events.AddRange(page.Events);
            token = page.NextToken;
        }
        while (token is not null);
        return events;
    }

    [Fact]
    public async Task Missing_group_is_null_and_no_matching_streams_is_an_empty_last_page()
    {
        await using var temp = await OpenAsync();
        Assert.Null(await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 10, Ct));
        await temp.Store.AppendAsync("g", "s", [new(1, "x")], 1, true, Ct);
        var page = await temp.Store.FilterEventsAsync("g", ["other"], null, null, null, FilterPattern.All, null, 10, Ct);
        Assert.Equal((0, 0, null), (page!.Events.Count, page.SearchedStreams.Count, page.NextToken));
    }

    [Fact]
    public async Task Events_of_all_streams_interleave_by_timestamp_then_id()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "a", [new(10, "a10"), new(30, "a30"), new(50, "a50")], 1, true, Ct);
        await temp.Store.AppendAsync("g", "b", [new(20, "b20"), new(30, "b30"), new(40, "b40")], 2, true, Ct);
        var page = (await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 100, Ct))!;
        Assert.Equal(["a10", "b20", "a30", "b30", "b40", "a50"], page.Events.Select(e => e.Message));
        Assert.Equal(["a", "b", "a", "b", "b", "a"], page.Events.Select(e => e.StreamName));
        Assert.Equal(["a", "b"], page.SearchedStreams);
        Assert.Null(page.NextToken);
        Assert.Equal(2, page.Events[1].IngestionTime);
    }

    [Fact]
    public async Task Stream_names_prefix_time_bounds_and_pattern_narrow_the_search()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "web/1", [new(10, "GET / 200"), new(20, "GET /x 500 ERROR")], 1, true, Ct);
        await temp.Store.AppendAsync("g", "web/2", [new(15, "POST / ERROR"), new(25, "GET / 200")], 1, true, Ct);
        await temp.Store.AppendAsync("g", "db", [new(12, "ERROR deadlock"), new(30, "checkpoint")], 1, true, Ct);

        var named = (await temp.Store.FilterEventsAsync("g", ["db", "web/2", "missing"], null, null, null, FilterPattern.All, null, 100, Ct))!;
        Assert.Equal(["ERROR deadlock", "POST / ERROR", "GET / 200", "checkpoint"], named.Events.Select(e => e.Message));
        Assert.Equal(["db", "web/2"], named.SearchedStreams);

        var prefixed = (await temp.Store.FilterEventsAsync("g", null, "web/", null, null, FilterPattern.Parse("ERROR"), null, 100, Ct))!;
        Assert.Equal(["POST / ERROR", "GET /x 500 ERROR"], prefixed.Events.Select(e => e.Message));
        Assert.Equal(["web/1", "web/2"], prefixed.SearchedStreams);

        var bounded = (await temp.Store.FilterEventsAsync("g", null, null, 12, 25, FilterPattern.Parse("?ERROR ?checkpoint -deadlock"), null, 100, Ct))!;
        Assert.Equal(["POST / ERROR", "GET /x 500 ERROR"], bounded.Events.Select(e => e.Message));
    }

    [Theory]
    [InlineData("ERROR")]
    [InlineData("\"disk full\"")]
    [InlineData("?ERROR ?WARN")]
    [InlineData("-ERROR")]
    [InlineData("ERROR -retry")]
    [InlineData("ERROR ?disk ?net -retry")]
    [InlineData("Größe")]
    public async Task The_sql_prefilter_agrees_with_Matches(string text)
    {
        await using var temp = await OpenAsync();
        string[] messages = ["ERROR disk full", "WARN net", "ERROR retry disk", "INFO ok", "error lower", "ERRORCODE net", "die Größe", "WARN disk full"];
        await temp.Store.AppendAsync("g", "s", messages.Select((m, i) => new NewLogEvent(i, m)).ToArray(), 1, true, Ct);
        var pattern = FilterPattern.Parse(text);
        var found = await AllPagesAsync(temp, pattern, 100);
        Assert.Equal(messages.Where(pattern.Matches), found.Select(e => e.Message));
    }

    [Fact]
    public async Task Paging_over_many_equal_timestamps_loses_and_repeats_nothing()
    {
        await using var temp = await OpenAsync();
        for (var stream = 0; stream < 3; stream++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => new NewLogEvent(i / 400, $"s{stream} e{i} {(i % 7 == 0 ? "HIT" : "miss")}")).ToArray();
            await temp.Store.AppendAsync("g", $"s{stream}", events, 1, true, Ct);
        }
        foreach (var limit in new[] { 1, 7, 100, 10_000 })
        {
            var all = await AllPagesAsync(temp, FilterPattern.All, limit);
            Assert.Equal(3000, all.Count);
            Assert.Equal(3000, all.Select(e => e.Id).Distinct().Count());
            Assert.Equal(all.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));
        }
        var hits = await AllPagesAsync(temp, FilterPattern.Parse("HIT"), 13);
        Assert.Equal(3 * 143, hits.Count);
        Assert.Equal(hits.Count, hits.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task A_page_ends_when_the_scan_budget_is_spent_and_the_token_goes_on_after_it()
    {
        await using var temp = await OpenAsync();
        const int Total = LogLimits.ScanBudgetRows + 50_000;
        var events = Enumerable.Range(0, Total).Select(i => new NewLogEvent(i / 1000, i == Total - 1 ? "needle" : "hay")).ToArray();
        for (var i = 0; i < Total; i += 10_000)
        {
            await temp.Store.AppendAsync("g", "s", events[i..Math.Min(Total, i + 10_000)], 1, true, Ct);
        }
        var first = (await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.Parse("needle"), null, 100, Ct))!;
        Assert.Empty(first.Events);
        Assert.NotNull(first.NextToken);
        var second = (await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.Parse("needle"), first.NextToken, 100, Ct))!;
        Assert.Equal(["needle"], second.Events.Select(e => e.Message));
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task A_page_ends_near_one_megabyte()
    {
        await using var temp = await OpenAsync();
        var big = new string('x', 300_000);
        await temp.Store.AppendAsync("g", "s", Enumerable.Range(0, 5).Select(i => new NewLogEvent(i, big)).ToArray(), 1, true, Ct);
        var page = (await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 100, Ct))!;
        Assert.Equal(4, page.Events.Count);
        Assert.Single((await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, page.NextToken, 100, Ct))!.Events);
    }

    [Fact]
    public async Task Unreadable_tokens_are_ArgumentExceptions()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, "f/1/2", 10, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, "nonsense", 10, Ct));
    }
}
