using System.Runtime.InteropServices;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>
/// The node clock's error bound and synchronisation state, from the kernel (<c>adjtimex</c>, which chrony and ntpd keep
/// up to date): what Fargate shows as the task's <c>ClockDrift</c>.
/// </summary>
public static partial class NodeClock
{
    private const int TimeError = 5; // TIME_ERROR: the clock is not synchronised
    private const int MaxErrorOffset = 24; // struct timex on 64-bit Linux: modes (+pad), offset, freq, then maxerror (µs)
    private const int StatusOffset = 40; // esterror, then status
    private const int StaUnsync = 0x0040;

    public static ClockDriftMetadata Read(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var buffer = new byte[256]; // sizeof(struct timex) is 208; modes = 0 only reads
        var state = Adjtimex(buffer);
        var maxErrorMicroseconds = BitConverter.ToInt64(buffer, MaxErrorOffset);
        var status = BitConverter.ToInt32(buffer, StatusOffset);
        var synchronized = state >= 0 && state != TimeError && (status & StaUnsync) == 0;
        return new ClockDriftMetadata(maxErrorMicroseconds / 1000.0, MetadataDocuments.Timestamp(time.GetUtcNow())!,
            synchronized ? "SYNCHRONIZED" : "NOT_SYNCHRONIZED");
    }

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static partial int Adjtimex(byte[] timex);
}
