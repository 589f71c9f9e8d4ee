using Gantry.Api.Logs;
using Gantry.Domain.Errors;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Api.Front;

/// <summary>
/// Requests answered ServerException because the state store was unavailable: one warning when the first comes, then at
/// most one every <see cref="Interval"/> with how many were answered so since (a burst of calls during an outage would
/// otherwise log a line, or a stack trace, per request).
/// </summary>
internal sealed partial class StoreOutageLog(TimeProvider time, ILogger logger)
{
    /// <summary>What the caller is told: ECS's own words for a service that cannot answer now.</summary>
    public const string Message = "Service Unavailable. Please try again later.";

    /// <summary>The service's own 500 for it: CloudWatch Logs' ServiceUnavailableException, everyone else's ServerException
    /// (awsQuery services write it as InternalFailure).</summary>
    public static AwsException ErrorFor(string target) =>
        new(target.StartsWith(LogsOperations.Prefix + ".", StringComparison.Ordinal) ? "ServiceUnavailableException" : "ServerException", Message);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private long? _since;
    private int _answered;

    public void Answered(StoreUnavailableException e)
    {
        lock (_gate)
        {
            _answered++;
            var now = time.GetTimestamp();
            if (_since is { } since && time.GetElapsedTime(since, now) < Interval)
            {
                return;
            }
            LogUnavailable(logger, _answered, e.Reason);
            (_since, _answered) = (now, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state store is unavailable: {Answered} requests answered ServerException since the last report ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, int answered, string reason);
}
