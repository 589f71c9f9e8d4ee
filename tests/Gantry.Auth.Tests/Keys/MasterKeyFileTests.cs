using Gantry.Auth.Keys;

namespace Gantry.Auth.Tests.Keys;

public sealed class MasterKeyFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-master-").FullName;

    private string KeyPath => Path.Combine(_directory, "master.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_new_master_key_is_0600_and_the_same_key_is_loaded_again()
    {
        var created = MasterKey.LoadOrCreate(KeyPath);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
        Assert.Equal("x", MasterKey.LoadOrCreate(KeyPath).Open(created.Seal("x", "c"), "c"));
    }

    [Fact]
    public void A_world_readable_key_an_earlier_version_left_is_made_0600()
    {
        MasterKey.LoadOrCreate(KeyPath);
        File.SetUnixFileMode(KeyPath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        MasterKey.LoadOrCreate(KeyPath);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
    }
}
