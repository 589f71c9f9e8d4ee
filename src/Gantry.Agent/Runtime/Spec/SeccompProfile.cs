namespace Gantry.Agent.Runtime.Spec;

/// <summary>
/// The default syscall filter: allow by default, deny the syscalls Docker's profile keeps from containers. A rule
/// guarded by capabilities is dropped when the container holds any of them (adding SYS_ADMIN allows mount, as in
/// Docker's profile). Denied calls fail with EPERM; clone3 fails with ENOSYS so libcs fall back to clone, whose flags
/// a filter can inspect (clone3 passes them in memory).
/// </summary>
internal static class SeccompProfile
{
    private const uint Eperm = 1;
    private const uint Enosys = 38;
    private const ulong CloneNewUser = 0x10000000;

    private sealed record Rule(string[] Names, string[] UnlessAny, uint Errno = Eperm, LinuxSeccompArg[]? Args = null);

    private static readonly Rule[] Rules =
    [
        // Not namespaced or obsolete: no capability makes them safe in a container.
        new(["kexec_load", "kexec_file_load", "add_key", "keyctl", "request_key", "uselib", "ustat", "sysfs", "_sysctl",
            "nfsservctl", "create_module", "get_kernel_syms", "query_module", "vm86", "vm86old",
            "io_uring_setup", "io_uring_enter", "io_uring_register"], []),
        new(["mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
            "open_tree", "mount_setattr", "unshare", "setns", "swapon", "swapoff", "quotactl", "quotactl_fd",
            "fanotify_init", "name_to_handle_at", "lookup_dcookie", "sethostname", "setdomainname"], ["SYS_ADMIN"]),
        // New user namespaces are the usual door to otherwise unreachable kernel code.
        new(["clone"], ["SYS_ADMIN"], Eperm, [new LinuxSeccompArg { Index = 0, Value = CloneNewUser, ValueTwo = CloneNewUser, Op = "SCMP_CMP_MASKED_EQ" }]),
        new(["clone3"], ["SYS_ADMIN"], Enosys),
        new(["reboot"], ["SYS_BOOT"]),
        new(["init_module", "finit_module", "delete_module"], ["SYS_MODULE"]),
        new(["acct"], ["SYS_PACCT"]),
        new(["settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime", "clock_adjtime64"], ["SYS_TIME"]),
        new(["ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "process_madvise", "userfaultfd"], ["SYS_PTRACE"]),
        new(["iopl", "ioperm"], ["SYS_RAWIO"]),
        new(["vhangup"], ["SYS_TTY_CONFIG"]),
        new(["syslog"], ["SYSLOG", "SYS_ADMIN"]),
        new(["bpf"], ["BPF", "SYS_ADMIN"]),
        new(["perf_event_open"], ["PERFMON", "SYS_ADMIN"]),
        // "Shocker": open_by_handle_at walks out of a bind mount with DAC_READ_SEARCH.
        new(["open_by_handle_at"], ["DAC_READ_SEARCH"]),
    ];

    /// <summary>The profile for a container holding <paramref name="capabilities"/> (names without <c>CAP_</c>).</summary>
    public static LinuxSeccomp For(IReadOnlyCollection<string> capabilities, IReadOnlyList<string> architectures) => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Architectures = architectures,
        Syscalls =
        [
            .. Rules
                .Where(rule => !rule.UnlessAny.Any(capabilities.Contains))
                .Select(rule => new LinuxSyscall { Names = rule.Names, Action = "SCMP_ACT_ERRNO", ErrnoRet = rule.Errno, Args = rule.Args }),
        ],
    };
}
