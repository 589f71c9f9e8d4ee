namespace Gantry.Registry.Content;

/// <summary>What did not match when content was verified.</summary>
public enum ContentMismatch
{
    Digest,
    Size,
}

/// <summary>Uploaded content whose digest or size is not what the client declared; nothing was stored.</summary>
public sealed class ContentMismatchException(ContentMismatch kind, string message) : Exception(message)
{
    public ContentMismatch Kind { get; } = kind;
}
