using System.Globalization;
using System.Text.Json;

namespace Gantry.Api.Tests.Logs;

/// <summary>
/// Times at the end of the long range (issue 12, item 7): the model's Timestamp is any long of 0 or more, so 2^63−1 is
/// a valid startTime/endTime, and the tokens handed back must neither overflow nor fail to round-trip.
/// </summary>
public sealed class PagingBoundsTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Logs = "Logs_20140328";
    private const long Max = long.MaxValue;

    private Task<(int Status, JsonElement Body)> CallAsync(string operation, string json) => host.CallAsync(operation, json, Logs);

    private async Task<(string Group, string Stream)> StreamWithEventsAsync()
    {
        var group = $"/gantry/bounds-{Guid.NewGuid():N}";
        Assert.Equal(200, (await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""")).Status);
        Assert.Equal(200, (await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"s"}""")).Status);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (status, body) = await CallAsync("PutLogEvents",
            $$"""{"logGroupName":"{{group}}","logStreamName":"s","logEvents":[{"timestamp":{{now}},"message":"a"},{"timestamp":{{now + 1}},"message":"b"}]}""");
        Assert.True(status == 200, body.ToString());
        return (group, "s");
    }

    /// <summary>A token is a kind letter and two decimal numbers in [0, 2^63−1]: nothing wrapped negative.</summary>
    private static void AssertInRange(string? token)
    {
        Assert.NotNull(token);
        var parts = token.Split('/');
        Assert.Equal(3, parts.Length);
        Assert.Contains(parts[0], new[] { "f", "b" });
        Assert.All(parts[1..], n => Assert.True(long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _), $"'{token}' has '{n}'"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetLogEvents_at_the_largest_long_returns_tokens_that_do_not_overflow_and_round_trip(bool startFromHead)
    {
        var (group, stream) = await StreamWithEventsAsync();
        var request = $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startTime":{{Max}},"endTime":{{Max}},"startFromHead":{{(startFromHead ? "true" : "false")}}""";
        var (status, page) = await CallAsync("GetLogEvents", request + "}");
        Assert.True(status == 200, page.ToString());
        Assert.Equal(0, page.GetProperty("events").GetArrayLength());

        // Follow every token handed back, both ways, a few rounds: each is accepted and hands back tokens in range.
        var pending = new Queue<(string Token, int Depth)>();
        foreach (var name in new[] { "nextForwardToken", "nextBackwardToken" })
        {
            pending.Enqueue((page.GetProperty(name).GetString()!, 0));
        }
        while (pending.TryDequeue(out var next))
        {
            AssertInRange(next.Token);
            foreach (var head in new[] { true, false })
            {
                var (again, body) = await CallAsync("GetLogEvents",
                    $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startTime":{{Max}},"endTime":{{Max}},"startFromHead":{{(head ? "true" : "false")}},"nextToken":"{{next.Token}}"}""");
                Assert.True(again == 200, $"token {next.Token}: {body}");
                Assert.Equal(0, body.GetProperty("events").GetArrayLength());
                if (next.Depth < 3)
                {
                    pending.Enqueue((body.GetProperty("nextForwardToken").GetString()!, next.Depth + 1));
                    pending.Enqueue((body.GetProperty("nextBackwardToken").GetString()!, next.Depth + 1));
                }
            }
        }
    }

    [Fact]
    public async Task GetLogEvents_tokens_from_an_empty_range_still_read_the_stream_without_the_range()
    {
        var (group, stream) = await StreamWithEventsAsync();
        var (_, empty) = await CallAsync("GetLogEvents",
            $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startTime":{{Max}},"endTime":{{Max}}}""");
        var backward = empty.GetProperty("nextBackwardToken").GetString();
        var (_, start) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","nextToken":"{{backward}}"}""");
        var forward = start.GetProperty("nextForwardToken").GetString();
        AssertInRange(forward);
        var (_, all) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startFromHead":true,"nextToken":"{{forward}}"}""");
        Assert.Equal(["a", "b"], all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task FilterLogEvents_with_endTime_the_largest_long_finds_every_event()
    {
        var (group, _) = await StreamWithEventsAsync();
        var (status, page) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","startTime":0,"endTime":{{Max}}}""");
        Assert.True(status == 200, page.ToString());
        Assert.Equal(["a", "b"], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var (_, late) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","startTime":{{Max}},"endTime":{{Max}}}""");
        Assert.Equal(0, late.GetProperty("events").GetArrayLength());
    }
}
