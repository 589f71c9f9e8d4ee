namespace Gantry.Registry.Content;

/// <summary>No upload with this id exists in this repository (finished, cancelled, expired or never started).</summary>
public sealed class UploadUnknownException(string id) : Exception($"upload '{id}' is unknown")
{
}

/// <summary>A chunk that does not start where the upload ends.</summary>
public sealed class UploadRangeException(long offset) : Exception($"chunk must start at byte {offset}")
{
    /// <summary>The bytes received so far.</summary>
    public long Offset { get; } = offset;
}
