namespace Gantry.Oci.Build;

/// <summary>
/// Presents a forward-only entry stream from <see cref="System.Formats.Tar.TarReader"/> as one of known length.
/// <see cref="System.Formats.Tar.TarWriter"/> refuses an unseekable data stream when the archive stream is unseekable
/// too (it would need to seek back to patch the size); it only asks for <c>Length</c> and <c>Position</c>, which are
/// known here, so this reports <c>CanSeek</c> and supports no actual seeking. The inner stream belongs to the reader.
/// </summary>
internal sealed class KnownLengthReadStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..Remaining(buffer.Length)]);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..Remaining(buffer.Length)], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return target == _position ? _position : throw new NotSupportedException("a tar entry stream can only be read forward");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Remaining(int wanted) => (int)Math.Min(wanted, length - _position);
}
