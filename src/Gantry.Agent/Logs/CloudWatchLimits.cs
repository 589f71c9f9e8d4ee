namespace Gantry.Agent.Logs;

/// <summary>
/// The PutLogEvents limits the awslogs driver works to (moby daemon/logger/awslogs/cloudwatchlogs.go: perEventBytes,
/// maximumBytesPerPut, maximumLogEventsPerPut, maximumBytesPerEvent; the 24-hour span is PutLogEvents' own rule).
/// </summary>
public static class CloudWatchLimits
{
    /// <summary>Bytes CloudWatch Logs counts for every event on top of its UTF-8 message.</summary>
    public const int PerEventOverheadBytes = 26;

    /// <summary>Largest event message in UTF-8 bytes, as moby sizes it: 256 KiB less the per-event overhead.</summary>
    public const int MaxEventBytes = 262_144 - PerEventOverheadBytes;

    /// <summary>Largest PutLogEvents request: the sum of UTF-8 messages plus <see cref="PerEventOverheadBytes"/> each.</summary>
    public const int MaxBatchBytes = 1_048_576;

    public const int MaxBatchEvents = 10_000;

    /// <summary>The events of one PutLogEvents request may not span more than 24 hours.</summary>
    public const long MaxBatchSpanMs = 24L * 60 * 60 * 1000;
}
