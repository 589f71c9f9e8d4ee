using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class CapabilityTests
{
    private static readonly string[] DockerDefaults =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP",
    ];

    private static RuntimeSpec Build(KernelCapabilities? capabilities, bool privileged = false, RuntimeSpecOptions? options = null) =>
        RuntimeSpecBuilder.Build(
            SpecFixtures.Launch(SpecFixtures.Definition(new LinuxParameters { Capabilities = capabilities }) with { Privileged = privileged }),
            options ?? SpecFixtures.Options);

    private static IEnumerable<string> DeniedSyscalls(RuntimeSpec spec) => spec.Linux.Seccomp!.Syscalls.SelectMany(s => s.Names);

    [Fact]
    public void Docker_default_set_in_bounding_effective_permitted_and_nothing_inheritable_or_ambient()
    {
        var caps = Build(null).Process.Capabilities;
        Assert.Equal(DockerDefaults, caps.Bounding);
        Assert.Equal(DockerDefaults, caps.Effective);
        Assert.Equal(DockerDefaults, caps.Permitted);
        Assert.Empty(caps.Inheritable);
        Assert.Empty(caps.Ambient);
    }

    [Fact]
    public void Add_and_drop_accept_names_with_or_without_the_prefix()
    {
        var caps = Build(new KernelCapabilities { Add = ["NET_ADMIN", "cap_sys_ptrace"], Drop = ["NET_RAW", "MKNOD"] }).Process.Capabilities.Effective;
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.Contains("CAP_SYS_PTRACE", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void Add_all_minus_drops_and_drop_all_plus_adds()
    {
        var all = Build(new KernelCapabilities { Add = ["ALL"], Drop = ["SYS_ADMIN"] }).Process.Capabilities.Bounding;
        Assert.Equal(40, all.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", all);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], Build(new KernelCapabilities { Drop = ["ALL"], Add = ["NET_BIND_SERVICE"] }).Process.Capabilities.Bounding);
    }

    [Fact]
    public void Unknown_capability_is_refused()
    {
        var error = Assert.Throws<CannotStartContainerException>(() => Build(new KernelCapabilities { Add = ["SUPERPOWER"] }));
        Assert.Equal("CannotStartContainerError: unknown capability: \"SUPERPOWER\"", error.Message);
    }

    [Fact]
    public void Privileged_gets_every_capability_no_seccomp_no_masking_and_may_gain_privileges()
    {
        var spec = Build(new KernelCapabilities { Drop = ["ALL"] }, privileged: true);
        Assert.Equal(41, spec.Process.Capabilities.Bounding.Count);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.False(spec.Process.NoNewPrivileges);
        Assert.Contains("rw", spec.Mounts.Single(m => m.Destination == "/sys").Options!);
        Assert.True(spec.Linux.Resources!.Devices![0].Allow);
    }

    [Fact]
    public void Unprivileged_has_no_new_privileges_and_a_deny_all_device_cgroup()
    {
        var spec = Build(null);
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Equal(new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, spec.Linux.Resources!.Devices![0]);
    }

    [Fact]
    public void Capabilities_the_host_lacks_are_trimmed_from_defaults_and_all_but_refused_when_added_by_name()
    {
        var host = CapabilityNames.AllExcept("SYS_RESOURCE", "NET_RAW");
        var options = SpecFixtures.Options with { HostCapabilities = host };
        Assert.DoesNotContain("CAP_NET_RAW", Build(null, options: options).Process.Capabilities.Bounding);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", Build(null, privileged: true, options: options).Process.Capabilities.Bounding);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", Build(new KernelCapabilities { Add = ["ALL"] }, options: options).Process.Capabilities.Bounding);
        var error = Assert.Throws<CannotStartContainerException>(() => Build(new KernelCapabilities { Add = ["SYS_RESOURCE"] }, options: options));
        Assert.Equal("CannotStartContainerError: capability SYS_RESOURCE is not available on this container instance", error.Message);
    }

    [Fact]
    public void Default_seccomp_allows_by_default_and_denies_dangerous_syscalls_with_eperm()
    {
        var seccomp = Build(null).Linux.Seccomp!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        var denied = seccomp.Syscalls.SelectMany(s => s.Names).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "kexec_load", "reboot", "mount", "umount2", "pivot_root", "init_module", "bpf", "keyctl", "add_key", "ptrace", "open_by_handle_at", "settimeofday", "unshare", "swapon" },
            denied);
        Assert.All(seccomp.Syscalls, s => Assert.Equal("SCMP_ACT_ERRNO", s.Action));
        Assert.Equal(1u, seccomp.Syscalls.Single(s => s.Names.Contains("mount")).ErrnoRet);
        Assert.Equal(38u, seccomp.Syscalls.Single(s => s.Names.Contains("clone3")).ErrnoRet);
        var clone = seccomp.Syscalls.Single(s => s.Names.Contains("clone"));
        Assert.Equal(new LinuxSeccompArg { Index = 0, Value = 0x10000000, ValueTwo = 0x10000000, Op = "SCMP_CMP_MASKED_EQ" }, Assert.Single(clone.Args!));
    }

    [Fact]
    public void Adding_a_capability_removes_the_syscalls_it_guards_from_the_deny_list()
    {
        var admin = DeniedSyscalls(Build(new KernelCapabilities { Add = ["SYS_ADMIN"] })).ToList();
        Assert.DoesNotContain("mount", admin);
        Assert.DoesNotContain("unshare", admin);
        Assert.DoesNotContain("bpf", admin);
        Assert.Contains("ptrace", admin);
        Assert.Contains("kexec_load", admin);
        var ptrace = DeniedSyscalls(Build(new KernelCapabilities { Add = ["SYS_PTRACE"] })).ToList();
        Assert.DoesNotContain("ptrace", ptrace);
        Assert.Contains("mount", ptrace);
    }

    private static class CapabilityNames
    {
        private static readonly string[] All =
        [
            "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
            "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
            "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
            "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
            "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
            "CHECKPOINT_RESTORE",
        ];

        public static HashSet<string> AllExcept(params string[] missing) => [.. All.Except(missing)];
    }
}
