using System.Text;
using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

/// <summary>Builds k8s-file content the way conmon writes it.</summary>
internal static class K8sFile
{
    public const string Time = "2026-11-26T08:49:07.123456789+00:00";
    public const long TimeMs = 1_795_682_947_123;

    public static string Line(string content, string pipe = "stdout", char tag = 'F', string time = Time) => $"{time} {pipe} {tag} {content}\n";

    public static byte[] Bytes(params string[] lines) => Encoding.UTF8.GetBytes(string.Concat(lines));

    public static List<ConmonLogRecord> ReadAll(byte[] content, long startOffset = 0, int chunkSize = ConmonLogReader.DefaultChunkSize, int maxLineBytes = ConmonLogReader.DefaultMaxLineBytes)
    {
        using var reader = new ConmonLogReader(new MemoryStream(content), startOffset, chunkSize: chunkSize, maxLineBytes: maxLineBytes);
        var records = new List<ConmonLogRecord>();
        reader.Read(records);
        return records;
    }

    /// <summary>A record as the reader would produce it, for feeding the assembler directly.</summary>
    public static ConmonLogRecord Record(string content, long endOffset, bool partial = false, ConmonPipe pipe = ConmonPipe.Stdout, long timestampMs = TimeMs) =>
        new(timestampMs, pipe, partial, content, endOffset);
}
