namespace Gantry.Agent.Logs;

/// <summary>
/// One line of a conmon k8s-file log: <c>&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; &lt;F|P&gt; &lt;content&gt;</c>.
/// </summary>
/// <param name="TimestampMs">When conmon read the output, in Unix milliseconds (sub-millisecond digits dropped).</param>
/// <param name="IsPartial">A <c>P</c> record: the line goes on in the next records of the same stream, up to an <c>F</c>.</param>
/// <param name="Content">The text without the record's line end; invalid UTF-8 became U+FFFD.</param>
/// <param name="EndOffset">The byte offset in the file just after this record's line end.</param>
public readonly record struct ConmonLogRecord(long TimestampMs, ConmonPipe Pipe, bool IsPartial, string Content, long EndOffset);
