using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class LogBatcherTests
{
    private static AssembledLogEvent Event(string message = "x", long timestampMs = 1000, long sourceOffset = 0) => new(timestampMs, message, sourceOffset);

    [Fact]
    public void An_empty_batcher_has_no_batch() => Assert.Null(new LogBatcher().TakeBatch());

    [Fact]
    public void Ten_thousand_events_fill_a_batch()
    {
        var batcher = new LogBatcher();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(batcher.TryAdd(Event(sourceOffset: i)));
        }

        Assert.False(batcher.TryAdd(Event(sourceOffset: 10_000)));
        var batch = batcher.TakeBatch()!;
        Assert.Equal(10_000, batch.Events.Count);
        Assert.Equal(10_000 * 27, batch.SizeBytes);
        Assert.Equal(9_999, batch.ResumeOffset);
        Assert.True(batcher.TryAdd(Event(sourceOffset: 10_000)));
        Assert.Single(batcher.TakeBatch()!.Events);
    }

    [Fact]
    public void Bytes_count_UTF8_plus_26_an_event_up_to_exactly_one_MiB()
    {
        var batcher = new LogBatcher();
        var largest = new string('a', CloudWatchLimits.MaxEventBytes);

        for (var i = 0; i < 4; i++)
        {
            Assert.True(batcher.TryAdd(Event(largest)));
        }

        Assert.Equal(1_048_576, batcher.SizeBytes);
        Assert.False(batcher.TryAdd(Event("")));
        Assert.Equal(4, batcher.TakeBatch()!.Events.Count);
    }

    [Fact]
    public void Multi_byte_characters_count_by_their_UTF8_size()
    {
        var batcher = new LogBatcher(maxBytes: 26 + 6 + 26 + 4);

        Assert.True(batcher.TryAdd(Event("€€")));    // 6 bytes, 2 chars
        Assert.False(batcher.TryAdd(Event("😀a")));  // 5 bytes, 3 chars: it would fit if chars were counted
        Assert.True(batcher.TryAdd(Event("abcd")));
    }

    [Fact]
    public void Events_more_than_24_hours_apart_go_into_different_batches()
    {
        var batcher = new LogBatcher();
        Assert.True(batcher.TryAdd(Event(timestampMs: 0)));
        Assert.True(batcher.TryAdd(Event(timestampMs: CloudWatchLimits.MaxBatchSpanMs)));

        Assert.False(batcher.TryAdd(Event(timestampMs: CloudWatchLimits.MaxBatchSpanMs + 1)));
        Assert.False(batcher.TryAdd(Event(timestampMs: -1)));
    }

    [Fact]
    public void A_batch_is_sorted_by_time_keeping_the_order_of_equal_times_as_moby_does()
    {
        var batcher = new LogBatcher();
        foreach (var (message, timestampMs) in new[] { ("a", 30L), ("b", 10L), ("c", 30L), ("d", 10L), ("e", 20L) })
        {
            batcher.TryAdd(Event(message, timestampMs));
        }

        var batch = batcher.TakeBatch()!;

        Assert.Equal(["b", "d", "e", "a", "c"], batch.Events.Select(e => e.Message));
    }

    [Fact]
    public void The_resume_offset_is_the_largest_source_offset()
    {
        var batcher = new LogBatcher();
        batcher.TryAdd(Event(timestampMs: 5, sourceOffset: 100));
        batcher.TryAdd(Event(timestampMs: 1, sourceOffset: 200));

        var batch = batcher.TakeBatch()!;

        Assert.Equal(200, batch.ResumeOffset);
        Assert.Equal([200L, 100L], batch.Events.Select(e => e.SourceOffset));
    }

    [Fact]
    public void An_empty_batcher_takes_even_an_event_over_the_limits_so_nothing_gets_stuck()
    {
        var batcher = new LogBatcher(maxBytes: 100);

        Assert.True(batcher.TryAdd(Event(new string('a', 500))));
        Assert.False(batcher.TryAdd(Event()));
    }

    [Fact]
    public void Taking_a_batch_starts_an_empty_one()
    {
        var batcher = new LogBatcher();
        batcher.TryAdd(Event(timestampMs: 0));
        batcher.TakeBatch();

        Assert.Equal(0, batcher.Count);
        Assert.Equal(0, batcher.SizeBytes);
        Assert.True(batcher.TryAdd(Event(timestampMs: CloudWatchLimits.MaxBatchSpanMs * 10)));
    }
}
