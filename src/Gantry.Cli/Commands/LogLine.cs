namespace Gantry.Cli.Commands;

/// <summary>One line `gantry logs` prints: when, from which container (of which task), what.</summary>
internal sealed record LogLine(long TimestampMs, string Source, string Message);
