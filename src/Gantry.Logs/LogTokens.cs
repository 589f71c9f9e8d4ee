using System.Globalization;

namespace Gantry.Logs;

/// <summary>A position in the (timestamp, id) order of events. Timestamps are never negative and ids start at 1.</summary>
internal readonly record struct EventKey(long Timestamp, long Id)
{
    /// <summary>Before every event (and what a token shows for it: no sentinel that reads as an overflowed number).</summary>
    public static EventKey Origin { get; } = new(0, 0);

    /// <summary>After every event; only ever a query bound, never a token.</summary>
    public static EventKey End { get; } = new(long.MaxValue, long.MaxValue);

    /// <summary>The position just before this one at the same timestamp; id 0 has nothing before it, so it stays.</summary>
    public EventKey Previous => Id > 0 ? this with { Id = Id - 1 } : this;

    /// <summary>The position just after this one at the same timestamp, saturating at the largest id.</summary>
    public EventKey Next => Id < long.MaxValue ? this with { Id = Id + 1 } : this;
}

/// <summary>
/// The store's opaque tokens. GetLogEvents: <c>f/&lt;ts&gt;/&lt;id&gt;</c> reads events after that key,
/// <c>b/&lt;ts&gt;/&lt;id&gt;</c> events before it. FilterLogEvents: <c>e/&lt;ts&gt;/&lt;id&gt;</c>, the
/// last event examined. Listings: <c>n/&lt;name&gt;</c> (by name) and <c>t/&lt;0|1&gt;/&lt;ts&gt;/&lt;name&gt;</c>
/// (by last event time; 1 = stream without events).
/// </summary>
internal static class LogTokens
{
    public static string Key(char kind, EventKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}/{key.Timestamp}/{key.Id}");

    /// <summary>Reads a key token of one of <paramref name="kinds"/>; returns its kind.</summary>
    public static (char Kind, EventKey Key) ParseKey(string token, string kinds)
    {
        var parts = token.Split('/');
        if (parts.Length == 3 && parts[0].Length == 1 && kinds.Contains(parts[0][0], StringComparison.Ordinal)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (parts[0][0], new EventKey(timestamp, id));
        }
        throw InvalidToken();
    }

    public static string Name(string name) => "n/" + name;

    public static string ParseName(string token) =>
        token.StartsWith("n/", StringComparison.Ordinal) ? token[2..] : throw InvalidToken();

    public static string LastEvent(bool noEvents, long lastTimestamp, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"t/{(noEvents ? 1 : 0)}/{lastTimestamp}/{name}");

    public static (bool NoEvents, long LastTimestamp, string Name) ParseLastEvent(string token)
    {
        var parts = token.Split('/', 4);
        if (parts.Length == 4 && parts[0] == "t" && parts[1] is "0" or "1"
            && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp))
        {
            return (parts[1] == "1", timestamp, parts[3]);
        }
        throw InvalidToken();
    }

    private static ArgumentException InvalidToken() => new("The next token is not one this store produced.", "nextToken");

    /// <summary>
    /// A GetLogEvents page of <paramref name="events"/> read from <paramref name="key"/> (oldest first once a backward
    /// read is turned round), with the tokens both stores answer: around the events, or, when none was in range, where
    /// the next read must start.
    /// </summary>
    public static StreamEventsPage StreamPage(List<StoredLogEvent> events, bool forward, string? token, EventKey key)
    {
        if (!forward)
        {
            events.Reverse();
        }
        if (events.Count > 0)
        {
            return new StreamEventsPage(StreamOutcome.Done, events,
                Key('f', new EventKey(events[^1].Timestamp, events[^1].Id)), Key('b', new EventKey(events[0].Timestamp, events[0].Id)));
        }
        return token switch
        {
            // Nothing in range: both tokens stand where the range starts, so later events show up reading forward.
            null => new StreamEventsPage(StreamOutcome.Done, [], Key('f', EventKey.Origin), Key('b', EventKey.Origin)),
            // At the end: the same forward token; reading backward from here includes the last event seen.
            _ when forward => new StreamEventsPage(StreamOutcome.Done, [], token, Key('b', key.Next)),
            // At the start: the same backward token; reading forward from here includes the first event seen.
            _ => new StreamEventsPage(StreamOutcome.Done, [], Key('f', key.Previous), token),
        };
    }
}
