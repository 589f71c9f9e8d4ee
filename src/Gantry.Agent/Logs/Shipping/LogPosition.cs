namespace Gantry.Agent.Logs.Shipping;

/// <summary>
/// An event's position for the control plane's dedupe: its source offset (where to resume in the log file) and an
/// ordinal among events with the same offset (the pieces of a line cut at CloudWatch's event size), plus one so
/// the first event of a file is above the "nothing stored" 0. Positions strictly increase in file order, and
/// re-reading from an event's offset gives its events the same positions again.
/// </summary>
public static class LogPosition
{
    private const int OrdinalBits = 12;
    private const long MaxOrdinal = (1 << OrdinalBits) - 2;

    public static long Of(long sourceOffset, long ordinal) => (sourceOffset << OrdinalBits) + Math.Min(ordinal, MaxOrdinal) + 1;

    /// <summary>The file offset to resume reading at, given the highest stored position (0: the start of the file).</summary>
    public static long ResumeOffset(long position) => position <= 0 ? 0 : (position - 1) >> OrdinalBits;
}
