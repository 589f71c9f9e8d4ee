using Gantry.Auth.Keys;
using Gantry.Auth.Tokens;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;

namespace Gantry.Api.Ecr;

/// <summary>
/// The registry's stores and credentials, shared by the ECR JSON API and the /v2/ distribution API, and the master key
/// that seals secrets at rest (also IAM server certificates' private keys).
/// </summary>
public sealed record RegistryParts(ImageCatalog Catalog, UploadStore Uploads, RegistryTokens Tokens, AccessKeyStore Keys, MasterKey MasterKey)
{
    /// <summary>Opens the registry's content under <paramref name="directory"/>.</summary>
    public static RegistryParts Open(string directory, Store.IStateStore store, AccessKeyStore keys, MasterKey masterKey, TimeProvider time)
    {
        var blobs = new BlobStore(directory);
        return new RegistryParts(new ImageCatalog(store, blobs, time), new UploadStore(blobs, time), new RegistryTokens(masterKey, keys, time), keys, masterKey);
    }
}
