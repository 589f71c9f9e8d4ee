using System.Globalization;
using Gantry.Registry.Content;

namespace Gantry.Cli.Commands;

/// <summary>
/// The start-up line about unfinished registry uploads. An upload a client or a crash abandoned keeps its partial
/// data until it expires; right after a restart (the kill -9 case) is when an operator wants to see how much that is.
/// </summary>
internal static class UploadsBanner
{
    public static string Describe(PendingUploads pending, TimeSpan expiry) => string.Create(CultureInfo.InvariantCulture,
        $"{pending.Count} unfinished ({pending.Bytes / (1024.0 * 1024.0):0.#} MiB), removed {Durations.Format(expiry)} after they start (--upload-expiry)");
}
