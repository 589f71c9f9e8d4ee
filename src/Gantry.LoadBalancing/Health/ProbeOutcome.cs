using System.Globalization;

namespace Gantry.LoadBalancing.Health;

/// <summary>What one health check found: passed, or the reason and description an unhealthy target shows.</summary>
public sealed record ProbeOutcome(bool Passed, string? Reason, string? Description)
{
    public static readonly ProbeOutcome Pass = new(true, null, null);

    public static readonly ProbeOutcome TimedOut = new(false, TargetHealthReasons.Timeout, "Request timed out");

    public static readonly ProbeOutcome Failed = new(false, TargetHealthReasons.FailedHealthChecks, "Health checks failed");

    public static ProbeOutcome CodeMismatch(int code) => new(false, TargetHealthReasons.ResponseCodeMismatch,
        string.Create(CultureInfo.InvariantCulture, $"Health checks failed with these codes: [{code}]"));
}
