using Gantry.Oci.Build;

namespace Gantry.Agent.Images;

/// <summary>An image ready to run: its config and the unpacked layer directories, lowest layer first.</summary>
/// <param name="ManifestDigest">The digest of the image manifest that was pulled (after resolving an index).</param>
/// <param name="LayerDirectories">Read-only snapshot directories, one per layer, bottom to top; overlay's lowerdir lists them top first.</param>
public sealed record PulledImage(ImageReference Reference, string ManifestDigest, ImageConfig Config, IReadOnlyList<string> LayerDirectories);

/// <summary>Pull progress: bytes of one layer fetched so far.</summary>
public sealed record PullProgress(string Digest, long BytesDone, long BytesTotal);

/// <summary>Credentials for one registry (Basic).</summary>
public sealed record RegistryLogin(string User, string Password);

/// <summary>A pull that failed; the message is what ECS shows as CannotPullContainerError.</summary>
public sealed class ImagePullException(string message, Exception? inner = null) : Exception(message, inner);
