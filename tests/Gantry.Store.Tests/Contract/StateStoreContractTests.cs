namespace Gantry.Store.Tests.Contract;

/// <summary>
/// What every <see cref="IStateStore"/> promises (versions, atomic batches, dense revisions, ordinal listing, the
/// change feed, waiters, durability across reopening), run against each backend by a subclass.
/// </summary>
public abstract class StateStoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private IStateStore _store = null!;

    /// <summary>Opens another store over the same database (a reopened process, or another replica).</summary>
    protected abstract Task<IStateStore> OpenAsync();

    protected abstract Task RemoveDatabaseAsync();

    public async Task InitializeAsync() => _store = await OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await RemoveDatabaseAsync();
    }

    [Fact]
    public async Task Put_get_update_delete_round_trip_with_versions()
    {
        await _store.CommitAsync([new PutOp("k", "a", "1", WriteOp.MustNotExist)], default);
        var first = await _store.GetAsync("k", "a", default);
        Assert.Equal(new StoredObject("k", "a", 1, 1, "1"), first);

        await _store.CommitAsync([new PutOp("k", "a", "2", ExpectedVersion: 1)], default);
        Assert.Equal(new StoredObject("k", "a", 2, 2, "2"), await _store.GetAsync("k", "a", default));

        await _store.CommitAsync([new DeleteOp("k", "a", ExpectedVersion: 2)], default);
        Assert.Null(await _store.GetAsync("k", "a", default));
        Assert.Equal(3, _store.CurrentRevision);
    }

    [Fact]
    public async Task All_writes_of_one_commit_share_one_revision()
    {
        var revision = await _store.CommitAsync([new PutOp("k", "a", "1"), new PutOp("k", "b", "2"), new PutOp("j", "a", "3")], default);
        Assert.Equal(1, revision);
        Assert.All(await _store.ListAsync("k", null, null, 10, default), o => Assert.Equal(1, o.Revision));
        Assert.Equal(3, (await _store.ChangesSinceAsync(0, 100, default)).Count);
    }

    [Theory]
    [InlineData(WriteOp.MustNotExist)]
    [InlineData(7L)]
    public async Task A_version_conflict_rolls_back_the_whole_batch(long expected)
    {
        await _store.CommitAsync([new PutOp("k", "taken", "old")], default);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.CommitAsync([new PutOp("k", "fresh", "new"), new PutOp("k", "taken", "new", expected)], default));

        Assert.Equal(1, conflict.ActualVersion);
        Assert.Null(await _store.GetAsync("k", "fresh", default));
        Assert.Equal("old", (await _store.GetAsync("k", "taken", default))!.Body);
        Assert.Equal(1, _store.CurrentRevision);
        Assert.Single(await _store.ChangesSinceAsync(0, 100, default));
    }

    [Fact]
    public async Task A_check_commits_with_the_batch_only_while_its_object_is_at_that_version_and_writes_nothing()
    {
        await _store.CommitAsync([new PutOp("lease", "l", "a")], default);

        var revision = await _store.CommitAsync([new CheckOp("lease", "l", 1), new PutOp("k", "fenced", "1")], default);
        Assert.Equal([("k", "fenced")], (await _store.ChangesSinceAsync(revision - 1, 10, default)).Select(c => (c.Kind, c.Key)));
        Assert.Equal(new StoredObject("lease", "l", 1, 1, "a"), await _store.GetAsync("lease", "l", default));

        await _store.CommitAsync([new PutOp("lease", "l", "b")], default);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.CommitAsync([new PutOp("k", "fenced", "2"), new CheckOp("lease", "l", 1)], default));
        Assert.Equal(("lease", 2L), (conflict.Kind, conflict.ActualVersion));
        Assert.Equal("1", (await _store.GetAsync("k", "fenced", default))!.Body);
    }

    [Fact]
    public async Task Deleting_with_a_stale_version_conflicts()
    {
        await _store.CommitAsync([new PutOp("k", "a", "1")], default);
        await _store.CommitAsync([new PutOp("k", "a", "2")], default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.CommitAsync([new DeleteOp("k", "a", ExpectedVersion: 1)], default));
        Assert.NotNull(await _store.GetAsync("k", "a", default));
    }

    [Fact]
    public async Task Listing_is_ordinal_with_prefix_cursor_limit_and_reverse()
    {
        string[] keys = ["a/b:c", "a%", "a_b", "ab", "b", "a"];
        await _store.CommitAsync(keys.Select(k => (WriteOp)new PutOp("k", k, k)).ToList(), default);

        var all = (await _store.ListAsync("k", null, null, 100, default)).Select(o => o.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), all);

        var prefixed = (await _store.ListAsync("k", "a_", null, 100, default)).Select(o => o.Key);
        Assert.Equal(["a_b"], prefixed);
        var percent = (await _store.ListAsync("k", "a%", null, 100, default)).Select(o => o.Key);
        Assert.Equal(["a%"], percent);

        var page = (await _store.ListAsync("k", "a", "a%", 2, default)).Select(o => o.Key);
        Assert.Equal(["a/b:c", "a_b"], page);

        var reverse = (await _store.ListDescendingAsync("k", "a", "ab", 10, default)).Select(o => o.Key);
        Assert.Equal(["a_b", "a/b:c", "a%", "a"], reverse);
        Assert.Equal(5, await _store.CountAsync("k", "a", default));
    }

    [Fact]
    public async Task Change_feed_reports_deletes_with_a_null_body()
    {
        await _store.CommitAsync([new PutOp("k", "a", "1")], default);
        await _store.CommitAsync([new DeleteOp("k", "a")], default);
        var changes = await _store.ChangesSinceAsync(1, 10, default);
        var deleted = Assert.Single(changes);
        Assert.Equal(new Change(2, "k", "a", 1, null), deleted);
    }

    [Fact]
    public async Task Compacting_forgets_old_changes_keeps_the_objects_and_tells_a_reader_that_asks_from_before()
    {
        for (var i = 1; i <= 6; i++)
        {
            await _store.CommitAsync([new PutOp("k", $"key{i}", "v"), new PutOp("j", "hot", $"{i}")], default);
        }

        Assert.Equal(4, await _store.CompactChangesAsync(4, default));

        Assert.Equal([5L, 5, 6, 6], (await _store.ChangesSinceAsync(4, 100, default)).Select(c => c.Revision));
        Assert.Equal([6L, 6], (await _store.ChangesSinceAsync(5, 100, default)).Select(c => c.Revision));
        var compacted = await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => _store.ChangesSinceAsync(3, 100, default));
        Assert.Equal((3L, 4L), (compacted.AfterRevision, compacted.CompactedThrough));
        await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => _store.ChangesSinceAsync(0, 100, default));
        Assert.Equal(6, await _store.CountAsync("k", null, default));
        Assert.Equal(new StoredObject("j", "hot", 6, 6, "6"), await _store.GetAsync("j", "hot", default));
    }

    [Fact]
    public async Task Compaction_only_moves_forward_stops_at_the_current_revision_and_survives_reopening()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _store.CommitAsync([new PutOp("k", "a", $"{i}")], default);
        }
        Assert.Equal(2, await _store.CompactChangesAsync(2, default));
        Assert.Equal(2, await _store.CompactChangesAsync(1, default));
        Assert.Equal(3, await _store.CompactChangesAsync(100, default));
        Assert.Empty(await _store.ChangesSinceAsync(3, 100, default));

        await _store.DisposeAsync();
        _store = await OpenAsync();
        await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => _store.ChangesSinceAsync(2, 100, default));
        var revision = await _store.CommitAsync([new PutOp("k", "a", "4")], default);
        Assert.Equal([(revision, "4")], (await _store.ChangesSinceAsync(3, 100, default)).Select(c => (c.Revision, c.Body)));
    }

    [Fact]
    public async Task A_reader_racing_with_compaction_gets_every_change_after_its_revision_or_is_told_they_are_gone()
    {
        const int Commits = 300;
        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= Commits; i++)
            {
                await _store.CommitAsync([new PutOp("k", "hot", $"{i}")], default);
                if (i % 7 == 0)
                {
                    await _store.CompactChangesAsync(_store.CurrentRevision - 3, default);
                }
            }
        });
        long after = 0;
        while (after < Commits)
        {
            try
            {
                var changes = await _store.ChangesSinceAsync(after, 5, default);
                Assert.Equal(Enumerable.Range(0, changes.Count).Select(i => after + 1 + i), changes.Select(c => c.Revision));
                after = changes.Count > 0 ? changes[^1].Revision : after;
            }
            catch (ChangeFeedCompactedException e)
            {
                Assert.True(e.CompactedThrough > after);
                after = _store.CurrentRevision; // as a consumer does: read the state again, follow from its revision
            }
        }
        await writing.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_waiter_wakes_on_the_next_commit_and_honours_cancellation()
    {
        var waiting = _store.WaitForChangeAsync(_store.CurrentRevision, default);
        Assert.False(waiting.IsCompleted);
        await _store.CommitAsync([new PutOp("k", "a", "1")], default);
        await waiting.WaitAsync(Bound);

        using var cancel = new CancellationTokenSource();
        var cancelled = _store.WaitForChangeAsync(_store.CurrentRevision, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
    }

    [Fact]
    public async Task Concurrent_creates_get_dense_revisions_and_one_optimistic_update_wins_per_version()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _store.CommitAsync([new PutOp("k", $"key{i}", "v", WriteOp.MustNotExist)], default)));
        Assert.Equal(50, _store.CurrentRevision);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), (await _store.ChangesSinceAsync(0, 100, default)).Select(c => c.Revision));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await _store.CommitAsync([new PutOp("k", "key0", $"writer{i}", ExpectedVersion: 1)], default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));
        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Fact]
    public async Task Concurrent_commits_are_atomic_alone_a_conflicting_one_leaves_nothing_and_the_others_all_land()
    {
        await _store.CommitAsync([new PutOp("k", "taken", "old")], default);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            try
            {
                // Every third commit expects a version "taken" is not at: its first write must not land either.
                return await _store.CommitAsync([new PutOp("k", $"new{i}", "v"), new CheckOp("k", "taken", i % 3 == 0 ? 5 : 1)], default);
            }
            catch (ConcurrencyConflictException)
            {
                return -1;
            }
        }));
        Assert.Equal(40, outcomes.Count(r => r > 0));
        Assert.Equal(Enumerable.Range(2, 40).Select(r => (long)r), outcomes.Where(r => r > 0).Order());
        Assert.Equal(41, _store.CurrentRevision);
        var created = (await _store.ListAsync("k", "new", null, 100, default)).Select(o => o.Key).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 60).Where(i => i % 3 != 0).Select(i => $"new{i}").ToHashSet(), created);
        Assert.Equal(40, (await _store.ChangesSinceAsync(1, 100, default)).Count);
    }

    [Fact]
    public async Task A_page_of_changes_ends_on_a_whole_revision_even_when_one_commit_is_larger_than_the_limit()
    {
        await _store.CommitAsync([.. Enumerable.Range(0, 5).Select(i => new PutOp("k", $"big{i}", "v"))], default);
        await _store.CommitAsync([new PutOp("k", "a", "1"), new PutOp("k", "b", "1")], default);
        await _store.CommitAsync([new PutOp("k", "c", "1")], default);

        Assert.Equal(5, (await _store.ChangesSinceAsync(0, 2, default)).Count);
        Assert.Equal(7, (await _store.ChangesSinceAsync(0, 6, default)).Count);
        Assert.Equal(5, (await _store.ChangesSinceAsync(0, 5, default)).Count);
        Assert.Equal([2L, 2L], (await _store.ChangesSinceAsync(1, 1, default)).Select(c => c.Revision));
        Assert.Equal(8, (await _store.ChangesSinceAsync(0, 100, default)).Count);
        Assert.Empty(await _store.ChangesSinceAsync(3, 100, default));
    }

    [Fact]
    public async Task Reopening_keeps_data_versions_and_revision()
    {
        await _store.CommitAsync([new PutOp("k", "a", "1")], default);
        await _store.CommitAsync([new PutOp("k", "a", "2")], default);
        await _store.DisposeAsync();

        _store = await OpenAsync();
        Assert.Equal(2, _store.CurrentRevision);
        Assert.Equal(new StoredObject("k", "a", 2, 2, "2"), await _store.GetAsync("k", "a", default));
        Assert.Equal(3, await _store.CommitAsync([new PutOp("k", "b", "3")], default));
    }

    [Fact]
    public async Task A_commit_is_visible_to_an_independent_connection_before_any_shutdown()
    {
        await _store.CommitAsync([new PutOp("k", "durable", "yes")], default);
        await using var other = await OpenAsync();
        Assert.Equal("yes", (await other.GetAsync("k", "durable", default))!.Body);
    }

    [Fact]
    public async Task Reads_racing_with_writes_never_see_an_older_version_after_a_newer_one()
    {
        await _store.CommitAsync([new PutOp("k", "hot", "0")], default);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            long seen = 0;
            while (!stop.IsCancellationRequested)
            {
                var current = await _store.GetAsync("k", "hot", default);
                var version = current?.Version ?? long.MaxValue;
                Assert.True(version >= seen, $"went back from version {seen} to {version}");
                seen = version;
            }
        });
        for (var i = 1; i <= 200; i++)
        {
            if (i % 50 == 0)
            {
                await _store.CommitAsync([new DeleteOp("k", "hot")], default);
                Assert.Null(await _store.GetAsync("k", "hot", default));
                await stop.CancelAsync();
                await reader.WaitAsync(Bound);
                await _store.CommitAsync([new PutOp("k", "hot", "again")], default);
                break;
            }
            await _store.CommitAsync([new PutOp("k", "hot", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], default);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await _store.GetAsync("k", "hot", default))!.Body);
        }
        Assert.Equal("again", (await _store.GetAsync("k", "hot", default))!.Body);
        await using var fresh = await OpenAsync();
        Assert.Equal("again", (await fresh.GetAsync("k", "hot", default))!.Body);
    }
}
