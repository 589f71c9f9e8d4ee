namespace Gantry.Dns.Server;

/// <summary>Lets one report through per interval and counts the ones held back, without locks.</summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private long _next = long.MinValue;
    private long _suppressed;

    /// <summary>True when this event is to be logged; <paramref name="suppressed"/> is how many were not since the last.</summary>
    public bool ShouldLog(out long suppressed)
    {
        var now = time.GetTimestamp();
        var next = Interlocked.Read(ref _next);
        if (now >= next && Interlocked.CompareExchange(ref _next, now + (long)(interval.TotalSeconds * time.TimestampFrequency), next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
