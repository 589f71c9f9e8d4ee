using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Store;

namespace Gantry.Auth.Keys;

/// <summary>
/// Gantry's own access keys, in the state store with secrets sealed by the <see cref="MasterKey"/>. Decrypted secrets
/// of active keys and keys' owners are cached in memory for <see cref="CacheFor"/> (another replica's status change
/// is seen within it); a change committed through this store drops its entries at once (<see cref="Invalidate"/>).
/// Unknown ids are not cached.
/// </summary>
public sealed class AccessKeyStore(IStateStore store, MasterKey masterKey, TimeProvider time)
{
    public const string Kind = "access-key";
    public const string Active = "Active";
    public const string Inactive = "Inactive";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const string SettingsKind = "auth-setting";
    private const string RootKeySetting = "root-access-key";
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private readonly ConcurrentDictionary<string, (string Secret, DateTimeOffset Until)> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (KeyOwner Owner, DateTimeOffset Until)> _owners = new(StringComparer.Ordinal);
    private string? _rootKeyId;

    /// <summary>Creates a new active key for <paramref name="userName"/>.</summary>
    public async Task<AccessKey> CreateAsync(string userName, CancellationToken ct)
    {
        var pending = Prepare(userName);
        await store.CommitAsync([pending.Write], ct).ConfigureAwait(false);
        return pending.Key;
    }

    /// <summary>A new active key for <paramref name="userName"/> and the write that stores it, for a caller that commits it
    /// together with its own documents.</summary>
    public PendingAccessKey Prepare(string userName)
    {
        var id = "AKIA" + RandomNumberGenerator.GetString(IdAlphabet, 16);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, 40);
        var record = new AccessKeyRecord(id, userName, Active, time.GetUtcNow(), masterKey.Seal(secret, id));
        return new PendingAccessKey(new AccessKey(id, secret, userName), record, new PutOp(Kind, id, JsonSerializer.Serialize(record), WriteOp.MustNotExist));
    }

    /// <summary>The write that replaces a stored key's record (status or owner changed), expecting <paramref name="version"/>.</summary>
    public static WriteOp Replace(AccessKeyRecord record, long version)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new PutOp(Kind, record.AccessKeyId, JsonSerializer.Serialize(record), version);
    }

    /// <summary>A stored key's record and version, or null.</summary>
    public async Task<(AccessKeyRecord Record, long Version)?> FindRecordAsync(string accessKeyId, CancellationToken ct)
    {
        var stored = await store.GetAsync(Kind, accessKeyId, ct).ConfigureAwait(false);
        return stored is null ? null : (JsonSerializer.Deserialize<AccessKeyRecord>(stored.Body)!, stored.Version);
    }

    /// <summary>Forgets what this process cached about a key: called after committing a change to it.</summary>
    public void Invalidate(string accessKeyId)
    {
        _secrets.TryRemove(accessKeyId, out _);
        _owners.TryRemove(accessKeyId, out _);
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
            var pending = Prepare("root");
            try
            {
                await store.CommitAsync([pending.Write, new PutOp(SettingsKind, RootKeySetting, JsonSerializer.Serialize(pending.Key.AccessKeyId), WriteOp.MustNotExist)], ct)
                    .ConfigureAwait(false);
                return pending.Key;
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
        if (await RootKeyIdAsync(ct).ConfigureAwait(false) is not { } id)
        {
            return null;
        }
        var secret = await FindSecretAsync(id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The root access key {id} is missing or inactive.");
        return new AccessKey(id, secret, "root");
    }

    /// <summary>Whether <paramref name="accessKeyId"/> is the account root's key (the root-key setting names it).</summary>
    public async ValueTask<bool> IsRootKeyAsync(string accessKeyId, CancellationToken ct) =>
        await RootKeyIdAsync(ct).ConfigureAwait(false) == accessKeyId;

    /// <summary>Who an access key belongs to, or null for an unknown key. Cached like secrets.</summary>
    public async ValueTask<KeyOwner?> FindOwnerAsync(string accessKeyId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_owners.TryGetValue(accessKeyId, out var cached) && cached.Until > now)
        {
            return cached.Owner;
        }
        if (await FindRecordAsync(accessKeyId, ct).ConfigureAwait(false) is not { } found)
        {
            return null;
        }
        var owner = new KeyOwner(found.Record.UserName, await IsRootKeyAsync(accessKeyId, ct).ConfigureAwait(false));
        _owners[accessKeyId] = (owner, now + CacheFor);
        return owner;
    }

    /// <summary>The secret of an active key, or null. Hot path of every signed request.</summary>
    public async ValueTask<string?> FindSecretAsync(string accessKeyId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_secrets.TryGetValue(accessKeyId, out var cached) && cached.Until > now)
        {
            return cached.Secret;
        }
        if (await FindRecordAsync(accessKeyId, ct).ConfigureAwait(false) is not { } found || found.Record.Status != Active)
        {
            _secrets.TryRemove(accessKeyId, out _);
            return null;
        }
        var secret = masterKey.Open(found.Record.SealedSecret, found.Record.AccessKeyId);
        _secrets[accessKeyId] = (secret, now + CacheFor);
        return secret;
    }

    /// <summary>The root key's id from its setting (it never changes once made, so it is read once).</summary>
    private async ValueTask<string?> RootKeyIdAsync(CancellationToken ct)
    {
        if (_rootKeyId is { } known)
        {
            return known;
        }
        var setting = await store.GetAsync(SettingsKind, RootKeySetting, ct).ConfigureAwait(false);
        return setting is null ? null : _rootKeyId = JsonSerializer.Deserialize<string>(setting.Body)!;
    }
}
