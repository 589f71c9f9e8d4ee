using System.Collections.Concurrent;
using Gantry.Oci;
using Gantry.Oci.Build;

namespace Gantry.Agent.Images;

/// <summary>
/// Resolves a reference to the image manifest to run (containerd's resolver): an index resolves to its linux entry of this
/// machine's architecture (one nested index deep). A resolution is shared by every pull of the reference in flight:
/// fifty tasks starting from one tag ask the registry once, not fifty times.
/// </summary>
internal sealed class ManifestResolver(RegistryClient client)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryManifest>>> _resolving = new(StringComparer.Ordinal);

    /// <param name="key">The reference's record key; pulls with equal keys share one resolution.</param>
    /// <exception cref="ImagePullException">Not found, no entry for this platform, or a manifest without a config.</exception>
    public async Task<RegistryManifest> ResolveAsync(string key, ImageReference reference, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var mine = new Lazy<Task<RegistryManifest>>(() => ResolveOnceAsync(reference, login, cancellationToken));
        var shared = _resolving.GetOrAdd(key, mine);
        try
        {
            return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, mine))
            {
                _resolving.TryRemove(new KeyValuePair<string, Lazy<Task<RegistryManifest>>>(key, mine));
            }
        }
    }

    private async Task<RegistryManifest> ResolveOnceAsync(ImageReference reference, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var manifest = await client.GetManifestAsync(reference, reference.Reference, login, cancellationToken).ConfigureAwait(false);
        for (var depth = 0; manifest.Manifest.IsIndex; depth++)
        {
            var architecture = GoArchitecture.Current;
            var chosen = manifest.Manifest.Manifests.FirstOrDefault(m =>
                    !MediaTypes.IsIndex(m.MediaType) && m.Platform is { Os: "linux" } platform && platform.Architecture == architecture)
                ?? manifest.Manifest.Manifests.FirstOrDefault(m => MediaTypes.IsIndex(m.MediaType) && depth == 0);
            if (chosen is null)
            {
                throw new ImagePullException($"no matching manifest for linux/{architecture} in the manifest list entries of {RegistryClient.Display(reference)}");
            }
            manifest = await client.GetManifestAsync(reference, chosen.Digest, login, cancellationToken).ConfigureAwait(false);
        }
        if (manifest.Manifest.Config is null)
        {
            throw new ImagePullException($"failed to resolve ref {RegistryClient.Display(reference)}: manifest {manifest.Digest} has no config");
        }
        return manifest;
    }
}
