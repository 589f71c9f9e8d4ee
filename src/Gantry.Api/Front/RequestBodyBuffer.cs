using System.Buffers;

namespace Gantry.Api.Front;

/// <summary>
/// A request body held whole for deserialisation. Up to <see cref="MaxPooledBytes"/> it lives in an array rented
/// from the shared pool; larger ones get plain arrays the GC takes back, because the shared pool keeps every
/// array returned to it for the life of the process (28 MiB layer parts would pin their memory forever).
/// </summary>
internal sealed class RequestBodyBuffer : IDisposable
{
    public const int MaxPooledBytes = 1024 * 1024;

    private byte[] _array;
    private int _length;

    public RequestBodyBuffer(int capacity) => _array = Allocate(capacity);

    public int Length => _length;

    public bool IsFull => _length == _array.Length;

    public ReadOnlyMemory<byte> Content => _array.AsMemory(0, _length);

    /// <summary>Where the next bytes go.</summary>
    public Memory<byte> Free => _array.AsMemory(_length);

    public void Advance(int count) => _length += count;

    public void Grow(int capacity)
    {
        var bigger = Allocate(capacity);
        _array.AsSpan(0, _length).CopyTo(bigger);
        Return(_array);
        _array = bigger;
    }

    public void Dispose()
    {
        Return(_array);
        _array = [];
    }

    private static byte[] Allocate(int capacity) => capacity <= MaxPooledBytes
        ? ArrayPool<byte>.Shared.Rent(capacity)
        : GC.AllocateUninitializedArray<byte>(capacity);

    private static void Return(byte[] array)
    {
        if (array.Length is > 0 and <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
