using Gantry.Agent.Images;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Engine.Fakes;

/// <summary>Images without a registry: every pull succeeds at once with a one-layer image; recorded by repository.</summary>
public sealed class FakeImagePuller(NodeCalls calls, string root) : IImagePuller
{
    public Task<PulledImage> PullAsync(ImageReference reference, RegistryLogin? login, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        calls.Add($"pull {reference.Repository}");
        var config = new ImageConfig { Architecture = GoArchitecture.Current, RootFs = new RootFs { DiffIds = [$"sha256:{new string('1', 64)}"] } };
        return Task.FromResult(new PulledImage(reference, $"sha256:{new string('2', 64)}", config, [Path.Combine(root, "snapshots", reference.Repository)]));
    }
}
