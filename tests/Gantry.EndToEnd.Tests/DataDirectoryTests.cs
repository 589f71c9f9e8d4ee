using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Issue 12 item 8: a data directory only its owner can read, and one account per data directory.</summary>
public sealed class DataDirectoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_pre_existing_0755_data_directory_is_refused_with_the_chmod_that_fixes_it()
    {
        var home = Directory.CreateTempSubdirectory("gantry-dd-").FullName;
        var data = Path.Combine(home, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("server", home, data));

        Assert.Contains($"chmod -R go-rwx '{data}'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(data));
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task A_server_creates_every_file_0600_and_directory_0700_and_keeps_no_clear_root_secret_unless_asked()
    {
        var home = Directory.CreateTempSubdirectory("gantry-dd-").FullName;
        var data = Path.Combine(home, "data");
        await using (var server = await GantryProcess.StartAsync("server", home, data, arguments: ["--listen", "127.0.0.1:0", "--data-dir", data]))
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
            Assert.False(File.Exists(Path.Combine(data, "root-credentials")));
            foreach (var file in new[] { "state.db", "state.db-wal", "state.db-shm", "logs.db", "master.key" })
            {
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(data, file)));
            }
            foreach (var directory in Directory.EnumerateDirectories(Path.Combine(data, "registry"), "*", SearchOption.AllDirectories).Prepend(Path.Combine(data, "registry")))
            {
                Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
            }
        }
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task Restarting_a_data_directory_with_another_account_id_or_region_is_refused()
    {
        var home = Directory.CreateTempSubdirectory("gantry-dd-").FullName;
        var data = Path.Combine(home, "data");
        string[] Arguments(string account, string region) => ["--listen", "127.0.0.1:0", "--data-dir", data, "--account-id", account, "--region", region];
        await using (var first = await GantryProcess.StartAsync("server", home, data, arguments: Arguments("111122223333", "us-east-1")))
        {
        }

        var account = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("server", home, data, arguments: Arguments("999988887777", "us-east-1")));
        var region = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("server", home, data, arguments: Arguments("111122223333", "eu-west-1")));
        await using (var same = await GantryProcess.StartAsync("server", home, data, arguments: Arguments("111122223333", "us-east-1")))
        {
        }

        Assert.Contains("start with --account-id 111122223333 --region us-east-1", account.Message, StringComparison.Ordinal);
        Assert.Contains("start with --account-id 111122223333 --region us-east-1", region.Message, StringComparison.Ordinal);
        Directory.Delete(home, recursive: true);
    }
}
