namespace Gantry.Registry.Content;

/// <summary>Uploads started and not yet completed, cancelled or expired: how many, and the bytes they hold on disk.</summary>
public sealed record PendingUploads(int Count, long Bytes);
