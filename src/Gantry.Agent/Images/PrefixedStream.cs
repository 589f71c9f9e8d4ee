namespace Gantry.Agent.Images;

/// <summary>A forward-only read stream that yields <paramref name="prefix"/> (bytes already read to sniff a format) and then the rest of <paramref name="inner"/>; the inner stream is left open.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
{
    private ReadOnlyMemory<byte> _remaining = prefix;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads up to <paramref name="count"/> bytes from the start of <paramref name="stream"/> and returns a stream that still yields all of it.</summary>
    public static async Task<(PrefixedStream Stream, ReadOnlyMemory<byte> Head)> PeekAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        var read = await stream.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var prefix = head.AsMemory(0, read);
        return (new PrefixedStream(prefix, stream), prefix);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer) is var taken and > 0)
        {
            return taken;
        }
        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span) is var taken and > 0)
        {
            return ValueTask.FromResult(taken);
        }
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int TakePrefix(Span<byte> buffer)
    {
        if (_remaining.IsEmpty || buffer.IsEmpty)
        {
            return 0;
        }
        var count = Math.Min(buffer.Length, _remaining.Length);
        _remaining.Span[..count].CopyTo(buffer);
        _remaining = _remaining[count..];
        return count;
    }
}
