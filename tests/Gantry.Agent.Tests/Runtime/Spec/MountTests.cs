using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class MountTests
{
    private static IReadOnlyList<SpecMount> Mounts(ContainerDefinition definition, params HostMount[] binds) =>
        RuntimeSpecBuilder.Build(SpecFixtures.Launch(definition, mounts: binds), SpecFixtures.Options).Mounts;

    [Fact]
    public void Kernel_filesystems_then_network_files_then_task_volumes()
    {
        var mounts = Mounts(SpecFixtures.Definition(), new HostMount("/var/lib/gantry/volumes/data", "/data", ReadOnly: true), new HostMount("/host/logs", "/var/log/app", ReadOnly: false));
        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/data", "/var/log/app"],
            mounts.Select(m => m.Destination));
        Assert.Equal(["proc", "tmpfs", "devpts", "tmpfs", "mqueue", "sysfs", "cgroup", "bind", "bind", "bind", "bind", "bind"], mounts.Select(m => m.Type));
        Assert.Equal(["nosuid", "strictatime", "mode=755", "size=65536k"], mounts[1].Options);
        Assert.Equal(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"], mounts[2].Options);
        Assert.Equal(["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"], mounts[3].Options);
        Assert.Contains("ro", mounts[5].Options!);
        Assert.Contains("ro", mounts[6].Options!);
        Assert.Equal("/run/gantry/t1/hosts", mounts[7].Source);
        Assert.Equal(["rbind", "rprivate", "rw"], mounts[7].Options);
        Assert.Equal("/run/gantry/t1/resolv.conf", mounts[9].Source);
        Assert.Equal("/var/lib/gantry/volumes/data", mounts[10].Source);
        Assert.Equal(["rbind", "rprivate", "ro"], mounts[10].Options);
        Assert.Equal(["rbind", "rprivate", "rw"], mounts[11].Options);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("/data/../../etc")]
    [InlineData("/..")]
    [InlineData("")]
    public void A_destination_that_escapes_the_rootfs_is_refused(string destination)
    {
        var error = Assert.Throws<CannotStartContainerException>(() => Mounts(SpecFixtures.Definition(), new HostMount("/host/data", destination, false)));
        Assert.StartsWith("CannotStartContainerError: mount path ", error.Message, StringComparison.Ordinal);
        Assert.Contains("escapes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_itself_and_duplicate_destinations_are_refused()
    {
        Assert.Throws<CannotStartContainerException>(() => Mounts(SpecFixtures.Definition(), new HostMount("/host/data", "/", false)));
        var error = Assert.Throws<CannotStartContainerException>(() =>
            Mounts(SpecFixtures.Definition(), new HostMount("/a", "/data", false), new HostMount("/b", "/data/", false)));
        Assert.Equal("CannotStartContainerError: Duplicate mount point: /data", error.Message);
    }

    [Fact]
    public void Parents_are_mounted_before_children()
    {
        var mounts = Mounts(SpecFixtures.Definition(), new HostMount("/h/cache", "/data/cache", false), new HostMount("/h/data", "/data", false));
        Assert.Equal(["/data", "/data/cache"], mounts.Skip(10).Select(m => m.Destination));
    }

    [Fact]
    public void A_task_volume_on_etc_hosts_replaces_the_generated_one()
    {
        var mounts = Mounts(SpecFixtures.Definition(), new HostMount("/custom/hosts", "/etc/hosts", true));
        Assert.Single(mounts, m => m.Destination == "/etc/hosts");
        Assert.Equal("/custom/hosts", mounts.Single(m => m.Destination == "/etc/hosts").Source);
    }

    [Fact]
    public void Network_files_are_read_only_with_a_read_only_root()
    {
        var definition = SpecFixtures.Definition() with { ReadonlyRootFilesystem = true };
        Assert.All(Mounts(definition).Where(m => m.Destination.StartsWith("/etc/", StringComparison.Ordinal)), m => Assert.Contains("ro", m.Options!));
    }

    [Fact]
    public void Tmpfs_and_shared_memory_from_linux_parameters()
    {
        var mounts = Mounts(SpecFixtures.Definition(new LinuxParameters
        {
            SharedMemorySize = 256,
            Tmpfs = [new Tmpfs { ContainerPath = "/scratch", Size = 64, MountOptions = ["exec", "mode=1777"] }],
        }));
        Assert.Equal(["nosuid", "noexec", "nodev", "mode=1777", "size=256m"], mounts.Single(m => m.Destination == "/dev/shm").Options);
        var scratch = mounts.Single(m => m.Destination == "/scratch");
        Assert.Equal("tmpfs", scratch.Type);
        Assert.Equal(["nosuid", "nodev", "noexec", "exec", "mode=1777", "size=64m"], scratch.Options);
    }

    [Theory]
    [InlineData("/../x", 64, null)]
    [InlineData("/scratch", null, null)]
    [InlineData("/scratch", 64, "bind")]
    [InlineData("/scratch", 64, "upperdir=/etc")]
    public void Invalid_tmpfs_is_refused(string path, int? size, string? option)
    {
        var linux = new LinuxParameters { Tmpfs = [new Tmpfs { ContainerPath = path, Size = size, MountOptions = option is null ? null : [option] }] };
        Assert.Throws<CannotStartContainerException>(() => Mounts(SpecFixtures.Definition(linux)));
    }

    [Fact]
    public void Masked_and_readonly_paths_are_dockers()
    {
        var spec = SpecFixtures.Build(SpecFixtures.Definition());
        Assert.Equal(
            ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"],
            spec.Linux.MaskedPaths);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], spec.Linux.ReadonlyPaths);
    }
}
