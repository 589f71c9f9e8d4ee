using Gantry.ControlPlane.Retention;
using Gantry.ControlPlane.Tests.Supervision;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.ControlPlane.Tests.Retention;

/// <summary>The change feed compactor over a real SQLite store, on a fake clock.</summary>
public sealed class ChangeFeedCompactorTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-compact-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
    private SqliteStateStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Only_changes_both_older_than_the_age_and_beyond_the_newest_revisions_kept_are_compacted()
    {
        var compactor = new ChangeFeedCompactor(_store, _time, new CapturingLogger<ChangeFeedCompactor>()) { KeepRevisions = 3, KeepFor = TimeSpan.FromMinutes(10) };
        await CommitAsync(10);
        Assert.Equal(0, await compactor.CompactAsync(CancellationToken.None)); // nothing is 10 minutes old yet

        _time.Advance(TimeSpan.FromMinutes(10));
        await CommitAsync(5);
        Assert.Equal(10, await compactor.CompactAsync(CancellationToken.None)); // the age holds back 11..15
        await Assert.ThrowsAsync<ChangeFeedCompactedException>(() => _store.ChangesSinceAsync(9, 100, CancellationToken.None));
        Assert.Equal(5, (await _store.ChangesSinceAsync(10, 100, CancellationToken.None)).Count);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(12, await compactor.CompactAsync(CancellationToken.None)); // now the newest 3 revisions hold back 13..15
        Assert.Equal([13L, 14, 15], (await _store.ChangesSinceAsync(12, 100, CancellationToken.None)).Select(c => c.Revision));
    }

    [Fact]
    public async Task The_loop_compacts_once_changes_are_old_enough()
    {
        var compactor = new ChangeFeedCompactor(_store, _time, new CapturingLogger<ChangeFeedCompactor>()) { KeepRevisions = 0, KeepFor = TimeSpan.FromMinutes(5) };
        await CommitAsync(4);
        using var stop = new CancellationTokenSource();
        var loop = compactor.RunAsync(ChangeFeedCompactor.DefaultInterval, stop.Token);

        await Until.TrueAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            return _store.ChangesSinceAsync(0, 1, CancellationToken.None).IsFaulted;
        }, "the feed was compacted");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task CommitAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _store.CommitAsync([new PutOp("k", "hot", $"{_store.CurrentRevision + 1}")], CancellationToken.None);
        }
    }
}
