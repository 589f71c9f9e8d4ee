using Gantry.Api.Front;
using Gantry.Auth.Keys;
using Gantry.Auth.Sessions;
using Gantry.Auth.SigV4;
using Gantry.Auth.Tokens;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;

namespace Gantry.Api.Ecr;

/// <summary>
/// The registry's stores and credentials, shared by the ECR JSON API and the /v2/ distribution API, and the master key
/// that seals secrets at rest (also IAM server certificates' private keys), and STS's temporary credentials (shared by
/// the SigV4 check that opens their tokens and the authorizer that reads who they stand for).
/// </summary>
public sealed record RegistryParts(ImageCatalog Catalog, UploadStore Uploads, RegistryTokens Tokens, AccessKeyStore Keys, MasterKey MasterKey, SessionTokens Sessions)
{
    /// <summary>Opens the registry's content under <paramref name="directory"/>.</summary>
    /// <summary>Verifies SigV4 with the access keys and, for requests carrying a session token, STS's sessions.</summary>
    public SigV4Verifier Verifier(string region, TimeProvider time) => new(Keys.FindSecretAsync, region, SigV4Authenticator.SignedWhenPresent, time,
        (keyId, token, _) =>
        {
            var check = Sessions.Check(keyId, token);
            return ValueTask.FromResult(new SessionSecret(check.Secret, check.IsExpired));
        });

    public static RegistryParts Open(string directory, Store.IStateStore store, AccessKeyStore keys, MasterKey masterKey, TimeProvider time)
    {
        var blobs = new BlobStore(directory);
        var sessions = new SessionTokens(masterKey, time);
        return new RegistryParts(new ImageCatalog(store, blobs, time), new UploadStore(blobs, time), new RegistryTokens(masterKey, keys, sessions, time), keys,
            masterKey, sessions);
    }
}
