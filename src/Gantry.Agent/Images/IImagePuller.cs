namespace Gantry.Agent.Images;

/// <summary>What a task runner needs of the node's images: a reference made ready to run.</summary>
public interface IImagePuller
{
    /// <summary>Pulls <paramref name="reference"/> (or serves it from the node) and returns its config and layer directories.</summary>
    /// <exception cref="ImagePullException">The pull failed; the message is the CannotPullContainerError reason.</exception>
    Task<PulledImage> PullAsync(ImageReference reference, RegistryLogin? login, IProgress<PullProgress>? progress, CancellationToken cancellationToken);
}
