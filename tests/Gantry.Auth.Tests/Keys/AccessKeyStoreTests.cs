using System.Security.Cryptography;
using Gantry.Auth.Keys;
using Gantry.Store.Sqlite;

namespace Gantry.Auth.Tests.Keys;

public sealed class AccessKeyStoreTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-keys-").FullName;
    private SqliteStateStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), default);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private MasterKey Master() => MasterKey.LoadOrCreate(Path.Combine(_directory, "master.key"));

    [Fact]
    public async Task Created_keys_look_like_AWS_keys_and_their_secrets_are_found()
    {
        var keys = new AccessKeyStore(_store, Master(), TimeProvider.System);
        var key = await keys.CreateAsync("alice", default);
        Assert.Matches("^AKIA[A-Z2-7]{16}$", key.AccessKeyId);
        Assert.Equal(40, key.SecretAccessKey.Length);
        Assert.Equal(key.SecretAccessKey, await keys.FindSecretAsync(key.AccessKeyId, default));
        Assert.Null(await keys.FindSecretAsync("AKIAUNKNOWNUNKNOWN22", default));
    }

    [Fact]
    public async Task The_secret_is_never_stored_in_plaintext()
    {
        var key = await new AccessKeyStore(_store, Master(), TimeProvider.System).CreateAsync("alice", default);
        var stored = await _store.GetAsync(AccessKeyStore.Kind, key.AccessKeyId, default);
        Assert.DoesNotContain(key.SecretAccessKey, stored!.Body, StringComparison.Ordinal);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(_directory, "state.db-wal"));
        Assert.DoesNotContain(key.SecretAccessKey, System.Text.Encoding.UTF8.GetString(onDisk), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_key_is_created_once_and_returned_again_after_a_restart()
    {
        var first = await new AccessKeyStore(_store, Master(), TimeProvider.System).EnsureRootKeyAsync(default);
        var again = await new AccessKeyStore(_store, Master(), TimeProvider.System).EnsureRootKeyAsync(default);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_different_master_key_cannot_open_secrets()
    {
        var key = await new AccessKeyStore(_store, Master(), TimeProvider.System).CreateAsync("alice", default);
        var stranger = new AccessKeyStore(_store, new MasterKey(RandomNumberGenerator.GetBytes(32)), TimeProvider.System);
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await stranger.FindSecretAsync(key.AccessKeyId, default));
    }

    [Fact]
    public void The_master_key_file_is_private()
    {
        _ = Master();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "master.key")));
    }
}
