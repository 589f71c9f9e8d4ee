using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>
/// Generates a container's OCI runtime spec from its ECS definition and image config, applying the rules dockerd and
/// the ECS agent apply. <c>linuxParameters.initProcessEnabled</c> is not expressed here: the runtime layer that starts
/// the container decides how to run an init.
/// </summary>
public static class RuntimeSpecBuilder
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Docker's masked paths: kernel state a container must not read (timers, keys, memory, firmware).</summary>
    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>Docker's read-only paths: kernel knobs a container may read but not turn.</summary>
    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>Linux's HOST_NAME_MAX.</summary>
    private const int MaxHostnameLength = 64;

    /// <summary>Builds the spec with this host's <see cref="RuntimeSpecOptions.Default"/>.</summary>
    /// <exception cref="CannotStartContainerException">The definition asks for something that cannot run.</exception>
    public static RuntimeSpec Build(ContainerLaunch launch) => Build(launch, RuntimeSpecOptions.Default);

    /// <summary>Builds the spec; reads only the image's <c>/etc/passwd</c> and <c>/etc/group</c> and the definition's host devices.</summary>
    /// <exception cref="CannotStartContainerException">The definition asks for something that cannot run.</exception>
    public static RuntimeSpec Build(ContainerLaunch launch, RuntimeSpecOptions options)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(options);
        if (launch.SandboxRoot is { } sandbox)
        {
            SandboxRules.CheckLaunch(launch, sandbox);
        }
        var definition = launch.Definition;
        var image = launch.Image.Config;
        var privileged = definition.Privileged == true;
        var hostname = string.IsNullOrEmpty(definition.Hostname) ? launch.Hostname : definition.Hostname;
        if (hostname.Length > MaxHostnameLength)
        {
            throw SpecErrors.CannotStart($"hostname {hostname} is longer than {MaxHostnameLength} characters");
        }
        var network = definition.DisableNetworking == true ? NetworkSetup.Isolated : launch.Network;

        var args = ProcessArgs.Resolve(definition, image);
        var capabilities = CapabilitySet.Resolve(privileged, definition.LinuxParameters?.Capabilities, options.HostCapabilities);
        IReadOnlyList<string> capabilityNames = [.. capabilities.Select(c => "CAP_" + c)];
        var user = UserResolver.Resolve(launch.RootfsPath, string.IsNullOrEmpty(definition.User) ? image?.User : definition.User);
        var (deviceNodes, deviceRules) = HostDevices.Resolve(definition.LinuxParameters?.Devices);

        return new RuntimeSpec
        {
            Process = new SpecProcess
            {
                Terminal = definition.PseudoTerminal == true,
                User = user,
                Args = args,
                Env = ProcessEnvironment.Build(launch, hostname),
                Cwd = WorkingDirectory(definition.WorkingDirectory, image?.WorkingDir),
                Capabilities = new SpecCapabilities { Bounding = capabilityNames, Effective = capabilityNames, Permitted = capabilityNames },
                Rlimits = ResourceLimits.Rlimits(definition, options),
                NoNewPrivileges = !privileged,
            },
            Root = new SpecRoot { Path = launch.RootfsPath, Readonly = definition.ReadonlyRootFilesystem == true },
            Hostname = hostname,
            Mounts = MountPlan.Build(launch, privileged),
            Annotations = Annotations(image?.Labels, definition.DockerLabels),
            Linux = new LinuxSpec
            {
                Namespaces = Namespaces(network, launch.NetworkNamespacePath),
                Devices = deviceNodes.Count == 0 ? null : deviceNodes,
                Resources = ResourceLimits.Build(definition, options, [HostDevices.BaseRule(privileged), .. deviceRules]),
                CgroupsPath = launch.CgroupsPath,
                Sysctl = Sysctls.Build(definition.SystemControls, network == NetworkSetup.Host),
                MaskedPaths = privileged ? null : MaskedPaths,
                ReadonlyPaths = privileged ? null : ReadonlyPaths,
                Seccomp = privileged ? null : SeccompProfile.For(capabilities, options.SeccompArchitectures),
            },
        };
    }

    /// <summary>The spec as compact UTF-8 JSON: the bytes of a bundle's <c>config.json</c>.</summary>
    public static byte[] ToJson(RuntimeSpec spec) => JsonSerializer.SerializeToUtf8Bytes(spec, JsonOptions);

    /// <summary>pid, ipc, uts and mount are always new; network per the launch; never a user namespace.</summary>
    private static List<LinuxNamespace> Namespaces(NetworkSetup network, string? path)
    {
        var result = new List<LinuxNamespace> { new() { Type = "pid" } };
        switch (network)
        {
            case NetworkSetup.Isolated:
                result.Add(new() { Type = "network" });
                break;
            case NetworkSetup.Join:
                if (string.IsNullOrEmpty(path))
                {
                    throw new ArgumentException("NetworkSetup.Join needs a NetworkNamespacePath", nameof(path));
                }
                result.Add(new() { Type = "network", Path = path });
                break;
        }
        result.Add(new() { Type = "ipc" });
        result.Add(new() { Type = "uts" });
        result.Add(new() { Type = "mount" });
        return result;
    }

    /// <summary>workingDirectory, else the image's WorkingDir, else <c>/</c>; cleaned, and refused unless absolute.</summary>
    private static string WorkingDirectory(string? definition, string? image)
    {
        var directory = !string.IsNullOrEmpty(definition) ? definition : !string.IsNullOrEmpty(image) ? image : "/";
        if (!directory.StartsWith('/'))
        {
            throw SpecErrors.CannotStart($"the working directory '{directory}' is invalid, it needs to be an absolute path");
        }
        var segments = new List<string>();
        foreach (var segment in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }
        return "/" + string.Join('/', segments);
    }

    /// <summary>Image labels, then dockerLabels over them (a container inherits its image's labels in Docker).</summary>
    private static SortedDictionary<string, string>? Annotations(IReadOnlyDictionary<string, string>? image, IReadOnlyDictionary<string, string>? definition)
    {
        if ((image is null || image.Count == 0) && (definition is null || definition.Count == 0))
        {
            return null;
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (image ?? new Dictionary<string, string>()).Concat(definition ?? new Dictionary<string, string>()))
        {
            result[key] = value;
        }
        return result;
    }
}
