using Gantry.Store.Sqlite;

namespace Gantry.Store.Tests.Sqlite;

/// <summary>The point-read cache stays within its character budget and never serves what a clear may have made stale.</summary>
public sealed class ObjectCacheTests
{
    private static StoredObject Body(string key, long revision, int characters) => new("task", key, 1, revision, new string('x', characters));

    [Fact]
    public void Holds_the_characters_of_the_bodies_it_keeps_counting_a_replaced_body_once()
    {
        var cache = new ObjectCache(capacity: 100, characters: 1000);
        cache.Written("task", "a", Body("a", 1, 300), 1);
        cache.Written("task", "a", Body("a", 2, 200), 2);
        cache.Written("task", "b", null, 3);

        Assert.Equal(200, cache.Characters);
        Assert.True(cache.TryGet("task", "a", out var a));
        Assert.Equal(2, a.Revision);
        Assert.True(cache.TryGet("task", "b", out var b));
        Assert.Null(b.Object);
    }

    [Fact]
    public void Is_cleared_when_a_body_would_take_it_past_its_budget_and_keeps_no_fill_read_before_the_clear()
    {
        var cache = new ObjectCache(capacity: 100, characters: 1000);
        cache.Written("task", "a", Body("a", 1, 600), 1);
        cache.Written("task", "b", Body("b", 2, 600), 2);

        Assert.False(cache.TryGet("task", "a", out _));
        Assert.True(cache.TryGet("task", "b", out _));
        Assert.Equal(600, cache.Characters);

        cache.Fill("task", "a", Body("a", 1, 10), readStartRevision: 1); // read before the clear at revision 2
        Assert.False(cache.TryGet("task", "a", out _));
        cache.Fill("task", "c", Body("c", 2, 10), readStartRevision: 2);
        Assert.True(cache.TryGet("task", "c", out _));
    }
}
