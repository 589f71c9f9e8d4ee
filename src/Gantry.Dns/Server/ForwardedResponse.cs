using System.Buffers;

namespace Gantry.Dns.Server;

/// <summary>An upstream's answer in a pooled buffer, the client's ID already restored; <see cref="Dispose"/> returns the buffer.</summary>
internal readonly struct ForwardedResponse(byte[] buffer, int length) : IDisposable
{
    public Memory<byte> Message => buffer.AsMemory(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
