using System.Collections.Concurrent;
using Gantry.Agent.Images;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Engine;

/// <summary>Logs an image pull's progress per layer in quarter steps, so a slow pull shows how far it got.</summary>
public sealed partial class PullProgressLog(ILogger logger, string image) : IProgress<PullProgress>
{
    private readonly ConcurrentDictionary<string, int> _quarters = new(StringComparer.Ordinal);

    public void Report(PullProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quarter = value.BytesTotal <= 0 ? 4 : (int)(4 * value.BytesDone / value.BytesTotal);
        var previous = _quarters.GetOrAdd(value.Digest, -1);
        if (quarter > previous && _quarters.TryUpdate(value.Digest, quarter, previous))
        {
            LogProgress(logger, image, value.Digest, quarter * 25, value.BytesDone, value.BytesTotal);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling {Image}: layer {Digest} {Percent}% ({Done}/{Total} bytes)")]
    private static partial void LogProgress(ILogger logger, string image, string digest, int percent, long done, long total);
}
