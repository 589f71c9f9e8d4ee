using System.Text.Json;
using Gantry.Oci;
using Gantry.Registry.Content;
using Gantry.Store;

namespace Gantry.Registry.Catalog;

/// <summary>
/// Repositories, manifests, tags and blob links: what both the OCI distribution API and the ECR API read and
/// change. Manifest content lives in the <see cref="BlobStore"/>; everything else is documents in the state store,
/// committed atomically so a tag never points at a missing manifest.
/// </summary>
public sealed class ImageCatalog(IStateStore store, BlobStore blobs, TimeProvider time)
{
    /// <summary>The largest manifest accepted (the OCI spec's suggested minimum for registries).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;
    private const int MaxAttempts = 8;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Documents Documents { get; } = new(store, Json);
    public BlobStore Blobs => blobs;

    public async Task<Versioned<RepositoryRecord>?> FindRepositoryAsync(string name, CancellationToken ct) =>
        await Documents.GetAsync<RepositoryRecord>(CatalogKinds.Repository, name, ct).ConfigureAwait(false);

    /// <summary>The repository, or <see cref="RegistryError.NameUnknown"/>.</summary>
    public async Task<RepositoryRecord> RequireRepositoryAsync(string name, CancellationToken ct) =>
        (await FindRepositoryAsync(name, ct).ConfigureAwait(false))?.Value
        ?? throw new RegistryException(RegistryError.NameUnknown, $"The repository with name '{name}' does not exist in the registry.");

    public async Task<BlobLink?> FindBlobAsync(string repository, Digest digest, CancellationToken ct) =>
        (await Documents.GetAsync<BlobLink>(CatalogKinds.Blob, CatalogKinds.BlobKey(repository, digest.ToString()), ct).ConfigureAwait(false))?.Value;

    /// <summary>Makes a stored blob available in <paramref name="repository"/>.</summary>
    public Task LinkBlobAsync(string repository, Digest digest, long size, CancellationToken ct) =>
        store.CommitAsync([Documents.Put(CatalogKinds.Blob, CatalogKinds.BlobKey(repository, digest.ToString()), new BlobLink(size, time.GetUtcNow()), null)], ct);

    /// <summary>Removes a blob from a repository; false when it was not there.</summary>
    public async Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken ct)
    {
        var key = CatalogKinds.BlobKey(repository, digest.ToString());
        var link = await store.GetAsync(CatalogKinds.Blob, key, ct).ConfigureAwait(false);
        if (link is null)
        {
            return false;
        }
        await store.CommitAsync([new DeleteOp(CatalogKinds.Blob, key)], ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The image a tag or digest names, or null.</summary>
    public async Task<ImageRecord?> ResolveAsync(string repository, string reference, CancellationToken ct)
    {
        var digest = reference;
        if (!Digest.LooksLikeDigest(reference))
        {
            var tag = await Documents.GetAsync<TagRecord>(CatalogKinds.Tag, CatalogKinds.TagKey(repository, reference), ct).ConfigureAwait(false);
            if (tag is null)
            {
                return null;
            }
            digest = tag.Value.Digest;
        }
        return (await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, CatalogKinds.ImageKey(repository, digest), ct).ConfigureAwait(false))?.Value;
    }

    /// <summary>
    /// Stores a manifest under <paramref name="reference"/> (a tag, or the digest it must have). Every blob and
    /// child manifest it references must already be in the repository; an immutable repository refuses to move a tag.
    /// </summary>
    public async Task<ImageRecord> PutManifestAsync(string repository, string reference, ReadOnlyMemory<byte> content, string? contentType, CancellationToken ct)
    {
        var repo = await RequireRepositoryAsync(repository, ct).ConfigureAwait(false);
        if (content.Length > MaxManifestBytes)
        {
            throw new RegistryException(RegistryError.ManifestTooLarge, $"manifest exceeds {MaxManifestBytes} bytes");
        }
        string? tag = null;
        Digest digest;
        if (Digest.LooksLikeDigest(reference))
        {
            if (!Digest.TryParse(reference, out var given))
            {
                throw new RegistryException(RegistryError.DigestInvalid, $"'{reference}' is not a supported digest");
            }
            digest = given.Algorithm == Digest.Sha256 ? Digest.Of(content.Span) : await Digest.OfAsync(new MemoryStream(content.ToArray()), given.Algorithm, ct).ConfigureAwait(false);
            if (digest != given)
            {
                throw new RegistryException(RegistryError.DigestInvalid, $"manifest digest is {digest}, not {given}");
            }
        }
        else
        {
            if (!RepositoryNames.IsValidTag(reference))
            {
                throw new RegistryException(RegistryError.TagInvalid, $"'{reference}' is not a valid tag");
            }
            tag = reference;
            digest = Digest.Of(content.Span);
        }
        Manifest manifest;
        try
        {
            manifest = ManifestReader.Read(content.Span, contentType);
        }
        catch (InvalidManifestException e)
        {
            throw new RegistryException(RegistryError.ManifestInvalid, e.Message);
        }
        using (var stream = new MemoryStream(content.ToArray(), writable: false))
        {
            await blobs.IngestAsync(stream, digest, content.Length, ct).ConfigureAwait(false);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitManifestAsync(repo, digest, tag, manifest, content.Length, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // A concurrent push or delete changed a tag, image or link we read: check again.
            }
        }
    }

    private async Task<ImageRecord> CommitManifestAsync(RepositoryRecord repo, Digest digest, string? tag, Manifest manifest, long size, CancellationToken ct)
    {
        var name = repo.Name;
        var ops = new List<WriteOp>();
        long contentSize = 0;
        foreach (var uses in manifest.Blobs.GroupBy(b => b.Digest, StringComparer.Ordinal))
        {
            var key = CatalogKinds.BlobKey(name, uses.Key);
            var link = await Documents.GetAsync<BlobLink>(CatalogKinds.Blob, key, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryError.ManifestBlobUnknown, $"blob {uses.Key} is not in repository '{name}'");
            RequireDeclaredSize(uses, link.Value.Size, "blob");
            // Re-putting the link at the version read makes a concurrent garbage collection of it conflict.
            ops.Add(Documents.Put(CatalogKinds.Blob, key, link.Value, link.Version));
            contentSize += uses.First().Size;
        }
        foreach (var children in manifest.Manifests.GroupBy(m => m.Digest, StringComparer.Ordinal))
        {
            var key = CatalogKinds.ImageKey(name, children.Key);
            var image = await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, key, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryError.ManifestBlobUnknown, $"manifest {children.Key} is not in repository '{name}'");
            RequireDeclaredSize(children, image.Value.ManifestSize, "manifest");
            ops.Add(Documents.Put(CatalogKinds.Image, key, image.Value, image.Version));
            contentSize += children.First().Size;
        }
        var text = digest.ToString();
        var imageKey = CatalogKinds.ImageKey(name, text);
        var existing = await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, imageKey, ct).ConfigureAwait(false);
        var tags = existing?.Value.Tags.ToList() ?? [];
        if (tag is not null)
        {
            var tagKey = CatalogKinds.TagKey(name, tag);
            var current = await Documents.GetAsync<TagRecord>(CatalogKinds.Tag, tagKey, ct).ConfigureAwait(false);
            if (current is not null && current.Value.Digest != text)
            {
                if (repo.ImageTagMutability == RepositoryRecord.Immutable)
                {
                    throw new RegistryException(RegistryError.TagInvalid,
                        $"The image tag '{tag}' already exists in the '{name}' repository and cannot be overwritten because the repository is immutable.");
                }
                var previousKey = CatalogKinds.ImageKey(name, current.Value.Digest);
                var previous = await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, previousKey, ct).ConfigureAwait(false);
                if (previous is not null)
                {
                    ops.Add(Documents.Put(CatalogKinds.Image, previousKey, previous.Value with { Tags = [.. previous.Value.Tags.Where(t => t != tag)] }, previous.Version));
                }
            }
            if (current?.Value.Digest != text)
            {
                ops.Add(Documents.Put(CatalogKinds.Tag, tagKey, new TagRecord(text), current?.Version ?? WriteOp.MustNotExist));
            }
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }
        var record = new ImageRecord(name, text, manifest.MediaType, size, contentSize + size, tags,
            existing?.Value.PushedAt ?? time.GetUtcNow(), [.. manifest.Blobs.Select(b => b.Digest)], [.. manifest.Manifests.Select(m => m.Digest)],
            manifest.Subject, manifest.EffectiveArtifactType, manifest.Annotations, existing?.Value.LastPulledAt);
        ops.Add(Documents.Put(CatalogKinds.Image, imageKey, record, existing?.Version ?? WriteOp.MustNotExist));
        ops.Add(Documents.Put(CatalogKinds.Blob, CatalogKinds.BlobKey(name, text), new BlobLink(size, time.GetUtcNow()), null));
        if (manifest.Subject is { } subject)
        {
            var descriptor = new Descriptor
            {
                MediaType = manifest.MediaType,
                Digest = text,
                Size = size,
                ArtifactType = manifest.EffectiveArtifactType,
                Annotations = manifest.Annotations,
            };
            ops.Add(Documents.Put(CatalogKinds.Referrer, CatalogKinds.ReferrerKey(name, subject.Digest, text), new ReferrerRecord(descriptor), null));
        }
        await store.CommitAsync(ops, ct).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// A descriptor names content by digest and size: one whose size is not the stored content's names nothing the
    /// registry has (distribution only checks presence; a wrong size makes clients fail at pull, so refuse it at push).
    /// </summary>
    private static void RequireDeclaredSize(IEnumerable<Descriptor> descriptors, long stored, string what)
    {
        if (descriptors.FirstOrDefault(d => d.Size != stored) is { } wrong)
        {
            throw new RegistryException(RegistryError.ManifestBlobUnknown,
                $"{what} {wrong.Digest} has {stored} bytes, not the {wrong.Size} the manifest declares");
        }
    }

    /// <summary>Deletes a manifest and every tag pointing at it; false when it was not there.</summary>
    public async Task<bool> DeleteImageAsync(string repository, string digest, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var image = await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, CatalogKinds.ImageKey(repository, digest), ct).ConfigureAwait(false);
            if (image is null)
            {
                return false;
            }
            var ops = new List<WriteOp> { new DeleteOp(CatalogKinds.Image, CatalogKinds.ImageKey(repository, digest), image.Version) };
            foreach (var tag in image.Value.Tags)
            {
                ops.Add(new DeleteOp(CatalogKinds.Tag, CatalogKinds.TagKey(repository, tag)));
            }
            if (image.Value.Subject is { } subject)
            {
                ops.Add(new DeleteOp(CatalogKinds.Referrer, CatalogKinds.ReferrerKey(repository, subject.Digest, digest)));
            }
            try
            {
                await store.CommitAsync(ops, ct).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Removes a tag (the manifest stays); false when the tag was not there.</summary>
    public async Task<bool> UntagAsync(string repository, string tag, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tagKey = CatalogKinds.TagKey(repository, tag);
            var current = await Documents.GetAsync<TagRecord>(CatalogKinds.Tag, tagKey, ct).ConfigureAwait(false);
            if (current is null)
            {
                return false;
            }
            var ops = new List<WriteOp> { new DeleteOp(CatalogKinds.Tag, tagKey, current.Version) };
            var imageKey = CatalogKinds.ImageKey(repository, current.Value.Digest);
            var image = await Documents.GetAsync<ImageRecord>(CatalogKinds.Image, imageKey, ct).ConfigureAwait(false);
            if (image is not null)
            {
                ops.Add(Documents.Put(CatalogKinds.Image, imageKey, image.Value with { Tags = [.. image.Value.Tags.Where(t => t != tag)] }, image.Version));
            }
            try
            {
                await store.CommitAsync(ops, ct).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Tags in lexical order after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int limit, CancellationToken ct)
    {
        var prefix = CatalogKinds.TagPrefix(repository);
        var stored = await store.ListAsync(CatalogKinds.Tag, prefix, last is null ? null : prefix + last, limit, ct).ConfigureAwait(false);
        return [.. stored.Select(s => s.Key[prefix.Length..])];
    }

    /// <summary>Every image of a repository (for listings and lifecycle policies).</summary>
    public async Task<IReadOnlyList<ImageRecord>> ListImagesAsync(string repository, CancellationToken ct) =>
        [.. (await Documents.ListAllAsync<ImageRecord>(CatalogKinds.Image, CatalogKinds.ImagePrefix(repository), ct).ConfigureAwait(false)).Select(i => i.Value)];

    /// <summary>The manifests whose subject is <paramref name="subject"/>, optionally only one artifact type.</summary>
    public async Task<IReadOnlyList<Descriptor>> ReferrersAsync(string repository, string subject, string? artifactType, CancellationToken ct)
    {
        var page = await Documents.ListAsync<ReferrerRecord>(CatalogKinds.Referrer, CatalogKinds.ReferrerPrefix(repository, subject), null, 10_000, ct).ConfigureAwait(false);
        return [.. page.Select(p => p.Value.Descriptor).Where(d => artifactType is null || d.ArtifactType == artifactType)];
    }
}
