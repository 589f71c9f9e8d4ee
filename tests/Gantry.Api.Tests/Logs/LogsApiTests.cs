using System.Text;
using System.Text.Json;

namespace Gantry.Api.Tests.Logs;

/// <summary>The CloudWatch Logs API over the real log store: groups, streams, events and their errors.</summary>
public sealed class LogsApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Logs = "Logs_20140328";
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<(int Status, JsonElement Body)> CallAsync(string operation, string json) => host.CallAsync(operation, json, Logs);

    private static string Unique(string name) => $"/gantry/{name}-{Guid.NewGuid():N}";

    private async Task<(string Group, string Stream)> StreamAsync()
    {
        var group = Unique("app");
        Assert.Equal(200, (await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""")).Status);
        Assert.Equal(200, (await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"web/app/1"}""")).Status);
        return (group, "web/app/1");
    }

    private async Task PutAsync(string group, string stream, IEnumerable<(long Timestamp, string Message)> events, int expectedStatus = 200)
    {
        var json = JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = events.Select(e => new { timestamp = e.Timestamp, message = e.Message }),
        });
        var (status, body) = await CallAsync("PutLogEvents", json);
        Assert.True(status == expectedStatus, body.ToString());
    }

    private async Task<List<string>> MessagesAsync(string group, string stream)
    {
        var (_, body) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startFromHead":true}""");
        return [.. body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)];
    }

    [Fact]
    public async Task CreateLogGroup_shows_in_DescribeLogGroups_with_its_ARNs_and_a_second_create_is_ResourceAlreadyExists()
    {
        var group = Unique("created");
        var (status, _) = await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        Assert.Equal(200, status);
        var (_, body) = await CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{group}}"}""");
        var shown = Assert.Single(body.GetProperty("logGroups").EnumerateArray());
        Assert.Equal(group, shown.GetProperty("logGroupName").GetString());
        Assert.Equal($"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*", shown.GetProperty("arn").GetString());
        Assert.Equal($"arn:aws:logs:us-east-1:000000000000:log-group:{group}", shown.GetProperty("logGroupArn").GetString());
        Assert.InRange(shown.GetProperty("creationTime").GetInt64(), Now - 60_000, Now + 1000);
        var (again, error) = await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        Assert.Equal(400, again);
        Assert.Equal("ResourceAlreadyExistsException", error.GetProperty("__type").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("colon:inside")]
    [InlineData("")]
    public async Task Invalid_group_names_are_InvalidParameterException_naming_the_field_and_create_nothing(string name)
    {
        var (status, body) = await CallAsync("CreateLogGroup", JsonSerializer.Serialize(new { logGroupName = name }));
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Contains("logGroupName", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, listed) = await CallAsync("DescribeLogGroups", "{}");
        Assert.DoesNotContain(listed.GetProperty("logGroups").EnumerateArray(), g => g.GetProperty("logGroupName").GetString() == name);
    }

    [Fact]
    public async Task PutLogEvents_to_an_unknown_group_or_stream_is_ResourceNotFoundException()
    {
        var (group, _) = await StreamAsync();
        var events = new[] { new { timestamp = Now, message = "x" } };
        var (status, body) = await CallAsync("PutLogEvents", JsonSerializer.Serialize(new { logGroupName = "/gantry/nope", logStreamName = "s", logEvents = events }));
        Assert.Equal(400, status);
        Assert.Equal("ResourceNotFoundException", body.GetProperty("__type").GetString());
        Assert.Equal("The specified log group does not exist.", body.GetProperty("message").GetString());
        (status, body) = await CallAsync("PutLogEvents", JsonSerializer.Serialize(new { logGroupName = group, logStreamName = "nope", logEvents = events }));
        Assert.Equal(400, status);
        Assert.Equal("The specified log stream does not exist.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Out_of_order_events_are_refused_whole_and_store_nothing()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        var (status, body) = await CallAsync("PutLogEvents", JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = new[] { new { timestamp = now, message = "second" }, new { timestamp = now - 1000, message = "first" } },
        }));
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Contains("chronological order", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await MessagesAsync(group, stream));
    }

    [Fact]
    public async Task Batches_over_the_event_count_or_byte_limits_are_refused()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        await PutAsync(group, stream, Enumerable.Range(0, 10_001).Select(i => (now, "e")), 400);
        var big = new string('x', 200_000);
        await PutAsync(group, stream, Enumerable.Range(0, 6).Select(i => (now, big)), 400);
        await PutAsync(group, stream, [(now, new string('y', 262_144))], 400);
        Assert.Empty(await MessagesAsync(group, stream));
        await PutAsync(group, stream, Enumerable.Range(0, 10_000).Select(i => (now, "e")));
        var (_, streams) = await CallAsync("DescribeLogStreams", $$"""{"logGroupName":"{{group}}"}""");
        Assert.Equal(now, streams.GetProperty("logStreams")[0].GetProperty("lastEventTimestamp").GetInt64());
    }

    [Fact]
    public async Task Events_too_old_or_too_new_are_reported_in_rejectedLogEventsInfo_and_the_rest_stored()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        var tooOld = now - (long)TimeSpan.FromDays(15).TotalMilliseconds;
        var json = JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = new[]
            {
                new { timestamp = tooOld, message = "old" },
                new { timestamp = tooOld + 1, message = "old too" },
                new { timestamp = now, message = "kept" },
                new { timestamp = now + (long)TimeSpan.FromHours(3).TotalMilliseconds, message = "future" },
            },
        });
        var (status, body) = await CallAsync("PutLogEvents", json);
        Assert.Equal(400, status); // the batch spans more than 24 hours
        json = JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = new[]
            {
                new { timestamp = now, message = "kept" },
                new { timestamp = now + (long)TimeSpan.FromHours(3).TotalMilliseconds, message = "future" },
            },
        });
        (status, body) = await CallAsync("PutLogEvents", json);
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("rejectedLogEventsInfo").GetProperty("tooNewLogEventStartIndex").GetInt32());
        json = JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = new[] { new { timestamp = tooOld, message = "old" }, new { timestamp = tooOld + 1, message = "old too" } },
        });
        (status, body) = await CallAsync("PutLogEvents", json);
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("rejectedLogEventsInfo").GetProperty("tooOldLogEventEndIndex").GetInt32());
        Assert.Equal(["kept"], await MessagesAsync(group, stream));
    }

    [Fact]
    public async Task GetLogEvents_reads_from_the_head_or_the_tail_and_pages_with_its_tokens()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        await PutAsync(group, stream, Enumerable.Range(0, 25).Select(i => (now + i, $"line {i}")));
        var (_, head) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","startFromHead":true,"limit":10}""");
        Assert.Equal("line 0", head.GetProperty("events")[0].GetProperty("message").GetString());
        Assert.Equal(10, head.GetProperty("events").GetArrayLength());
        var (_, next) = await CallAsync("GetLogEvents",
            $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","limit":10,"nextToken":"{{head.GetProperty("nextForwardToken").GetString()}}"}""");
        Assert.Equal("line 10", next.GetProperty("events")[0].GetProperty("message").GetString());
        var (_, tail) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","limit":5}""");
        Assert.Equal(["line 20", "line 21", "line 22", "line 23", "line 24"],
            tail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var forward = tail.GetProperty("nextForwardToken").GetString();
        var (_, end) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","nextToken":"{{forward}}"}""");
        Assert.Equal(0, end.GetProperty("events").GetArrayLength());
        Assert.Equal(forward, end.GetProperty("nextForwardToken").GetString());
        var (bad, error) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}","nextToken":"garbage"}""");
        Assert.Equal(400, bad);
        Assert.Equal("InvalidParameterException", error.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task FilterLogEvents_interleaves_streams_matches_the_pattern_and_keeps_event_ids_stable()
    {
        var (group, stream) = await StreamAsync();
        Assert.Equal(200, (await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"other"}""")).Status);
        var now = Now;
        await PutAsync(group, stream, [(now, "GET /index 200"), (now + 2, "ERROR disk full"), (now + 4, "GET /health 200")]);
        await PutAsync(group, "other", [(now + 1, "ERROR timeout talking to db"), (now + 3, "GET /other 404")]);
        var (_, all) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","startTime":{{now}}}""");
        Assert.Equal(["GET /index 200", "ERROR timeout talking to db", "ERROR disk full", "GET /other 404", "GET /health 200"],
            all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var (_, errors) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","filterPattern":"ERROR"}""");
        Assert.Equal(["ERROR timeout talking to db", "ERROR disk full"], errors.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var (_, phrase) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","filterPattern":"\"disk full\""}""");
        Assert.Equal("ERROR disk full", Assert.Single(phrase.GetProperty("events").EnumerateArray()).GetProperty("message").GetString());
        var ids = all.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("message").GetString()!.StartsWith("ERROR", StringComparison.Ordinal))
            .Select(e => e.GetProperty("eventId").GetString());
        Assert.Equal(ids, errors.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        var (_, onlyOther) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","logStreamNames":["other"]}""");
        Assert.All(onlyOther.GetProperty("events").EnumerateArray(), e => Assert.Equal("other", e.GetProperty("logStreamName").GetString()));
        var (bad, error) = await CallAsync("FilterLogEvents", $$"""{"logGroupName":"{{group}}","logStreamNames":["other"],"logStreamNamePrefix":"o"}""");
        Assert.Equal(400, bad);
        Assert.Equal("InvalidParameterException", error.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task FilterLogEvents_pages_through_every_event_exactly_once()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        await PutAsync(group, stream, Enumerable.Range(0, 250).Select(i => (now + (i / 10), $"event {i}")));
        var seen = new List<string>();
        string? token = null;
        do
        {
            var request = token is null
                ? $$"""{"logGroupName":"{{group}}","limit":40}"""
                : $$"""{"logGroupName":"{{group}}","limit":40,"nextToken":"{{token}}"}""";
            var (status, page) = await CallAsync("FilterLogEvents", request);
            Assert.Equal(200, status);
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!));
            token = page.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"event {i}"), seen);
    }

    [Fact]
    public async Task DescribeLogStreams_orders_by_last_event_time_descending_and_refuses_a_prefix_with_that_order()
    {
        var group = Unique("streams");
        await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        var now = Now;
        foreach (var (name, offset) in new[] { ("a", 3), ("b", 1), ("c", 2) })
        {
            await CallAsync("CreateLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"{{name}}"}""");
            await PutAsync(group, name, [(now + offset, name)]);
        }
        var (_, body) = await CallAsync("DescribeLogStreams", $$"""{"logGroupName":"{{group}}","orderBy":"LastEventTime","descending":true}""");
        Assert.Equal(["a", "c", "b"], body.GetProperty("logStreams").EnumerateArray().Select(s => s.GetProperty("logStreamName").GetString()));
        Assert.Equal($"arn:aws:logs:us-east-1:000000000000:log-group:{group}:log-stream:a", body.GetProperty("logStreams")[0].GetProperty("arn").GetString());
        var (status, error) = await CallAsync("DescribeLogStreams", $$"""{"logGroupName":"{{group}}","orderBy":"LastEventTime","logStreamNamePrefix":"a"}""");
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", error.GetProperty("__type").GetString());
        var (byArn, _) = await CallAsync("DescribeLogStreams", $$"""{"logGroupIdentifier":"arn:aws:logs:us-east-1:000000000000:log-group:{{group}}"}""");
        Assert.Equal(200, byArn);
    }

    [Fact]
    public async Task Retention_is_validated_shown_and_removed()
    {
        var group = Unique("retention");
        await CallAsync("CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        var (status, error) = await CallAsync("PutRetentionPolicy", $$"""{"logGroupName":"{{group}}","retentionInDays":2}""");
        Assert.Equal(400, status);
        Assert.Contains("retentionInDays", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, (await CallAsync("PutRetentionPolicy", $$"""{"logGroupName":"{{group}}","retentionInDays":7}""")).Status);
        var (_, body) = await CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{group}}"}""");
        Assert.Equal(7, body.GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());
        Assert.Equal(200, (await CallAsync("DeleteRetentionPolicy", $$"""{"logGroupName":"{{group}}"}""")).Status);
        (_, body) = await CallAsync("DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{group}}"}""");
        Assert.False(body.GetProperty("logGroups")[0].TryGetProperty("retentionInDays", out _));
        var (missing, notFound) = await CallAsync("PutRetentionPolicy", """{"logGroupName":"/gantry/none","retentionInDays":7}""");
        Assert.Equal(400, missing);
        Assert.Equal("ResourceNotFoundException", notFound.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Putting_a_retention_policy_deletes_the_events_it_expires_and_keeps_the_rest()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        var twoDaysAgo = now - (long)TimeSpan.FromDays(2).TotalMilliseconds;
        await PutAsync(group, stream, [(twoDaysAgo, "old")]);
        await PutAsync(group, stream, [(now, "new")]);
        Assert.Equal(["old", "new"], await MessagesAsync(group, stream));
        Assert.Equal(200, (await CallAsync("PutRetentionPolicy", $$"""{"logGroupName":"{{group}}","retentionInDays":1}""")).Status);
        await Eventually.TrueAsync(async () => (await MessagesAsync(group, stream)).SequenceEqual(["new"]));
        var (_, body) = await CallAsync("PutLogEvents", JsonSerializer.Serialize(new
        {
            logGroupName = group,
            logStreamName = stream,
            logEvents = new[] { new { timestamp = twoDaysAgo, message = "expired on arrival" } },
        }));
        Assert.Equal(0, body.GetProperty("rejectedLogEventsInfo").GetProperty("expiredLogEventEndIndex").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_stream_then_its_group_removes_them()
    {
        var (group, stream) = await StreamAsync();
        await PutAsync(group, stream, [(Now, "bye")]);
        Assert.Equal(200, (await CallAsync("DeleteLogStream", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}"}""")).Status);
        var (status, body) = await CallAsync("GetLogEvents", $$"""{"logGroupName":"{{group}}","logStreamName":"{{stream}}"}""");
        Assert.Equal("ResourceNotFoundException", body.GetProperty("__type").GetString());
        Assert.Equal(200, (await CallAsync("DeleteLogGroup", $$"""{"logGroupName":"{{group}}"}""")).Status);
        (status, body) = await CallAsync("DeleteLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("ResourceNotFoundException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_large_batch_near_one_MiB_is_accepted_through_the_front_door()
    {
        var (group, stream) = await StreamAsync();
        var now = Now;
        var message = new string('z', 1000);
        var count = 1_048_576 / (Encoding.UTF8.GetByteCount(message) + 26);
        await PutAsync(group, stream, Enumerable.Range(0, count).Select(_ => (now, message)));
        var (_, streams) = await CallAsync("DescribeLogStreams", $$"""{"logGroupName":"{{group}}"}""");
        Assert.Equal(count * 1000L, streams.GetProperty("logStreams")[0].GetProperty("storedBytes").GetInt64());
    }
}
