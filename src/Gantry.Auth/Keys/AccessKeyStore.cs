using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Store;

namespace Gantry.Auth.Keys;

/// <summary>
/// Gantry's own access keys, in the state store with secrets sealed by the <see cref="MasterKey"/>. Decrypted
/// secrets of active keys are cached in memory (keys are immutable once created); unknown ids are not cached.
/// </summary>
public sealed class AccessKeyStore(IStateStore store, MasterKey masterKey, TimeProvider time)
{
    public const string Kind = "access-key";
    private const string SettingsKind = "auth-setting";
    private const string RootKeySetting = "root-access-key";
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    /// <summary>Creates a new active key for <paramref name="userName"/>.</summary>
    public async Task<AccessKey> CreateAsync(string userName, CancellationToken ct)
    {
        var (key, put) = NewKey(userName);
        await store.CommitAsync([put], ct).ConfigureAwait(false);
        return key;
    }

    /// <summary>The root key, created on first call; later calls return the same key with its secret.</summary>
    public async Task<AccessKey> EnsureRootKeyAsync(CancellationToken ct)
    {
        while (true)
        {
            if (await FindRootKeyAsync(ct).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }
            var (key, put) = NewKey("root");
            try
            {
                await store.CommitAsync([put, new PutOp(SettingsKind, RootKeySetting, JsonSerializer.Serialize(key.AccessKeyId), WriteOp.MustNotExist)], ct)
                    .ConfigureAwait(false);
                return key;
            }
            catch (ConcurrencyConflictException)
            {
                // Another process created the root key at the same moment: read theirs.
            }
        }
    }

    /// <summary>The root key with its secret, or null before the first start created it.</summary>
    public async Task<AccessKey?> FindRootKeyAsync(CancellationToken ct)
    {
        var setting = await store.GetAsync(SettingsKind, RootKeySetting, ct).ConfigureAwait(false);
        if (setting is null)
        {
            return null;
        }
        var id = JsonSerializer.Deserialize<string>(setting.Body)!;
        var secret = await FindSecretAsync(id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The root access key {id} is missing or inactive.");
        return new AccessKey(id, secret, "root");
    }

    /// <summary>The user an access key belongs to ("root" for the root key), or null for an unknown key.</summary>
    public async ValueTask<string?> FindUserAsync(string accessKeyId, CancellationToken ct)
    {
        var stored = await store.GetAsync(Kind, accessKeyId, ct).ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.Deserialize<AccessKeyRecord>(stored.Body)!.UserName;
    }

    /// <summary>The secret of an active key, or null. Hot path of every signed request.</summary>
    public async ValueTask<string?> FindSecretAsync(string accessKeyId, CancellationToken ct)
    {
        if (_secrets.TryGetValue(accessKeyId, out var cached))
        {
            return cached;
        }
        var stored = await store.GetAsync(Kind, accessKeyId, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }
        var record = JsonSerializer.Deserialize<AccessKeyRecord>(stored.Body)!;
        if (record.Status != "Active")
        {
            return null;
        }
        var secret = masterKey.Open(record.SealedSecret, record.AccessKeyId);
        _secrets[accessKeyId] = secret;
        return secret;
    }

    private (AccessKey Key, PutOp Put) NewKey(string userName)
    {
        var id = "AKIA" + RandomNumberGenerator.GetString(IdAlphabet, 16);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, 40);
        var record = new AccessKeyRecord(id, userName, "Active", time.GetUtcNow(), masterKey.Seal(secret, id));
        return (new AccessKey(id, secret, userName), new PutOp(Kind, id, JsonSerializer.Serialize(record), WriteOp.MustNotExist));
    }
}
