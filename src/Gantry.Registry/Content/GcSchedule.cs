namespace Gantry.Registry.Content;

/// <summary>When <see cref="GarbageCollector"/> runs and what it spares: collections every <paramref name="Interval"/>,
/// unreferenced content younger than <paramref name="Grace"/> kept, uploads idle for <paramref name="UploadExpiry"/> removed.</summary>
public sealed record GcSchedule(TimeSpan Interval, TimeSpan Grace, TimeSpan UploadExpiry)
{
    /// <summary>Hourly, an hour's grace, uploads kept for a day (the CLI's defaults).</summary>
    public static GcSchedule Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1));
}
