namespace Gantry.Oci.Push;

/// <summary>How far the push of one blob is: bytes uploaded of its total, or skipped because the registry already has it.</summary>
public sealed record PushProgress(string Digest, long BytesDone, long BytesTotal, bool Skipped)
{
    /// <summary>True once the blob is in the registry (uploaded or skipped).</summary>
    public bool IsComplete => Skipped || BytesDone >= BytesTotal;
}
