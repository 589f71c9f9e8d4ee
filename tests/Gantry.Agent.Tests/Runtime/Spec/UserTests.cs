using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class UserTests : IDisposable
{
    private readonly TempRootfs _rootfs = new();

    public UserTests()
    {
        _rootfs.Write("/etc/passwd", """
            root:x:0:0:root:/root:/bin/sh
            # a comment
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            app:x:1000:1000::/home/app:/bin/sh

            """);
        _rootfs.Write("/etc/group", """
            root:x:0:
            wheel:x:10:root
            staff:x:50:app,daemon
            app:x:1000:
            docker:x:999:app

            """);
    }

    public void Dispose() => _rootfs.Dispose();

    private SpecUser Resolve(string? definitionUser, string? imageUser = null)
    {
        var launch = SpecFixtures.Launch(
            new ContainerDefinition { Name = "app", Command = ["/bin/true"], User = definitionUser },
            new ContainerConfig { User = imageUser },
            rootfs: _rootfs.Path);
        return RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Process.User;
    }

    [Theory]
    [InlineData(null, 0u, 0u, new uint[] { 10 })] // default root, with root's supplementary groups from /etc/group
    [InlineData("app", 1000u, 1000u, new uint[] { 50, 999 })]
    [InlineData("1000", 1000u, 1000u, new uint[] { 50, 999 })] // numeric uid in passwd: its gid and groups
    [InlineData("4242", 4242u, 0u, new uint[0])] // numeric uid not in passwd: gid 0
    [InlineData("4242:4343", 4242u, 4343u, new uint[0])]
    [InlineData("app:staff", 1000u, 50u, new uint[0])] // explicit group: no supplementary groups
    [InlineData("app:777", 1000u, 777u, new uint[0])]
    [InlineData("daemon:app", 1u, 1000u, new uint[0])]
    public void Definition_user_resolves_against_the_image_passwd_and_group(string? user, uint uid, uint gid, uint[] additional)
    {
        var resolved = Resolve(user);
        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(gid, resolved.Gid);
        Assert.Equal(additional, resolved.AdditionalGids ?? []);
    }

    [Fact]
    public void Image_user_applies_when_the_definition_has_none_and_the_definition_wins_otherwise()
    {
        Assert.Equal(1000u, Resolve(null, "app").Uid);
        Assert.Equal(1u, Resolve("daemon", "app").Uid);
    }

    [Theory]
    [InlineData("ghost", "unable to find user ghost: no matching entries in passwd file")]
    [InlineData("app:ghosts", "unable to find group ghosts: no matching entries in group file")]
    [InlineData("99999999999", "uids and gids must be in range 0-2147483647: 99999999999")]
    public void Unknown_names_cannot_start(string user, string reason)
    {
        var error = Assert.Throws<CannotStartContainerException>(() => Resolve(user));
        Assert.Equal("CannotStartContainerError: " + reason, error.Message);
    }

    [Fact]
    public void Names_need_a_passwd_file_but_numbers_do_not()
    {
        var launch = SpecFixtures.Launch(new ContainerDefinition { Name = "app", Command = ["/bin/true"], User = "7:8" });
        Assert.Equal((7u, 8u), (RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Process.User.Uid, RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Process.User.Gid));
        var named = launch with { Definition = launch.Definition with { User = "app" } };
        Assert.Throws<CannotStartContainerException>(() => RuntimeSpecBuilder.Build(named, SpecFixtures.Options));
    }

    [Fact]
    public void An_absolute_passwd_symlink_is_resolved_inside_the_rootfs_not_on_the_host()
    {
        using var other = new TempRootfs();
        other.Write("/etc/real-passwd", "svc:x:321:654::/:/bin/sh\n");
        File.CreateSymbolicLink(other.Path + "/etc/passwd", "/etc/real-passwd");
        var launch = SpecFixtures.Launch(new ContainerDefinition { Name = "app", Command = ["/bin/true"], User = "svc" }, rootfs: other.Path);
        var user = RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Process.User;
        Assert.Equal((321u, 654u), (user.Uid, user.Gid));
    }

    [Fact]
    public void A_passwd_symlink_climbing_out_with_dotdot_stays_in_the_rootfs()
    {
        using var other = new TempRootfs();
        // ../../../../etc/passwd from inside the rootfs stops at its root: the host's passwd (which has root) is never read.
        Directory.CreateDirectory(other.Path + "/etc");
        File.CreateSymbolicLink(other.Path + "/etc/passwd", "../../../../../../../../etc/passwd");
        var launch = SpecFixtures.Launch(new ContainerDefinition { Name = "app", Command = ["/bin/true"], User = "root" }, rootfs: other.Path);
        Assert.Throws<CannotStartContainerException>(() => RuntimeSpecBuilder.Build(launch, SpecFixtures.Options));
    }
}
