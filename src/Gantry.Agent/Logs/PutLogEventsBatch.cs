namespace Gantry.Agent.Logs;

/// <summary>Events that one PutLogEvents request accepts, in chronological order.</summary>
/// <param name="SizeBytes">The size CloudWatch Logs counts: UTF-8 messages plus 26 bytes an event.</param>
/// <param name="ResumeOffset">The largest <see cref="AssembledLogEvent.SourceOffset"/>: where to resume once this batch and all before it are stored.</param>
public sealed record PutLogEventsBatch(IReadOnlyList<AssembledLogEvent> Events, int SizeBytes, long ResumeOffset);
