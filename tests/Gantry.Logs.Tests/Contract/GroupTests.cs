namespace Gantry.Logs.Tests.Contract;

public abstract class GroupTests : LogStoreContract
{
    [Fact]
    public async Task Create_reports_an_existing_group_and_get_returns_it()
    {
        await using var temp = await OpenAsync();
        Assert.True(await temp.Store.CreateGroupAsync("/ecs/web", 1000, Ct));
        Assert.False(await temp.Store.CreateGroupAsync("/ecs/web", 2000, Ct));
        Assert.Equal(new LogGroupInfo("/ecs/web", 1000, null, 0), await temp.Store.GetGroupAsync("/ecs/web", Ct));
        Assert.Null(await temp.Store.GetGroupAsync("/ecs/none", Ct));
    }

    [Fact]
    public async Task Delete_removes_the_group_its_streams_and_events()
    {
        await using var temp = await OpenAsync();
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(1, "old")], 10, createMissing: true, Ct);
        Assert.True(await temp.Store.DeleteGroupAsync("g", Ct));
        Assert.False(await temp.Store.DeleteGroupAsync("g", Ct));
        Assert.Null(await temp.Store.GetGroupAsync("g", Ct));

        // A new group of the same name starts empty: the old events are gone, not inherited.
        await temp.Store.CreateGroupAsync("g", 20, Ct);
        Assert.Equal(StreamOutcome.Done, await temp.Store.CreateStreamAsync("g", "s", 20, Ct));
        var page = await temp.Store.FilterEventsAsync("g", null, null, null, null, FilterPattern.All, null, 100, Ct);
        Assert.Empty(page!.Events);
        Assert.Equal(0, (await temp.Store.GetGroupAsync("g", Ct))!.StoredBytes);
    }

    [Fact]
    public async Task Describe_filters_by_prefix_and_case_insensitive_pattern_and_pages_by_name()
    {
        await using var temp = await OpenAsync();
        foreach (var name in new[] { "/ecs/web", "/ecs/api", "/ecs/Worker", "/lambda/web", "/ecs/db" })
        {
            await temp.Store.CreateGroupAsync(name, 1, Ct);
        }
        var all = await temp.Store.DescribeGroupsAsync(null, null, null, 50, Ct);
        Assert.Equal(["/ecs/Worker", "/ecs/api", "/ecs/db", "/ecs/web", "/lambda/web"], all.Items.Select(g => g.Name));
        Assert.Null(all.NextToken);

        var prefixed = await temp.Store.DescribeGroupsAsync("/ecs/", null, null, 50, Ct);
        Assert.Equal(4, prefixed.Items.Count);

        var pattern = await temp.Store.DescribeGroupsAsync(null, "WEB", null, 50, Ct);
        Assert.Equal(["/ecs/web", "/lambda/web"], pattern.Items.Select(g => g.Name));
        var worker = await temp.Store.DescribeGroupsAsync(null, "work", null, 50, Ct);
        Assert.Equal(["/ecs/Worker"], worker.Items.Select(g => g.Name));

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await temp.Store.DescribeGroupsAsync("/ecs/", null, token, 3, Ct);
            names.AddRange(page.Items.Select(g => g.Name));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);
        Assert.Equal(2, pages);
        Assert.Equal(["/ecs/Worker", "/ecs/api", "/ecs/db", "/ecs/web"], names);
    }

    [Fact]
    public async Task An_exact_last_page_has_no_token()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("a", 1, Ct);
        await temp.Store.CreateGroupAsync("b", 1, Ct);
        Assert.Null((await temp.Store.DescribeGroupsAsync(null, null, null, 2, Ct)).NextToken);
    }

    [Fact]
    public async Task A_token_the_store_did_not_make_is_an_ArgumentException()
    {
        await using var temp = await OpenAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => temp.Store.DescribeGroupsAsync(null, null, "garbage", 10, Ct));
    }

    [Fact]
    public async Task Retention_is_set_and_removed()
    {
        await using var temp = await OpenAsync();
        Assert.False(await temp.Store.SetRetentionAsync("g", 7, Ct));
        await temp.Store.CreateGroupAsync("g", 1, Ct);
        Assert.True(await temp.Store.SetRetentionAsync("g", 7, Ct));
        Assert.Equal(7, (await temp.Store.GetGroupAsync("g", Ct))!.RetentionInDays);
        Assert.True(await temp.Store.SetRetentionAsync("g", null, Ct));
        Assert.Null((await temp.Store.GetGroupAsync("g", Ct))!.RetentionInDays);
    }

    [Fact]
    public async Task Everything_survives_a_reopen()
    {
        await using var temp = await OpenAsync();
        await temp.Store.CreateGroupAsync("g", 5, Ct);
        await temp.Store.SetRetentionAsync("g", 3, Ct);
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(100, "hello", 6), new NewLogEvent(101, "world", 12)], 200, createMissing: true, Ct);

        await temp.ReopenAsync();

        Assert.Equal(new LogGroupInfo("g", 5, 3, 10), await temp.Store.GetGroupAsync("g", Ct));
        Assert.Equal(12, (await temp.Store.GetSourceOffsetAsync("g", "s", Ct)).SourceOffset);
        var page = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct);
        Assert.Equal(["hello", "world"], page.Events.Select(e => e.Message));

        // Event ids keep growing after a reopen, even when the newest events were deleted before it.
        var lastId = page.Events[^1].Id;
        await temp.Store.DeleteStreamAsync("g", "s", Ct);
        await temp.ReopenAsync();
        await temp.Store.AppendAsync("g", "s", [new NewLogEvent(102, "again")], 300, createMissing: true, Ct);
        var again = await temp.Store.GetStreamEventsAsync("g", "s", null, null, true, null, 10, Ct);
        Assert.True(again.Events.Single().Id > lastId);
    }
}
