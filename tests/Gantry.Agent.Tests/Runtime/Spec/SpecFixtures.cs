using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Runtime.Spec;

/// <summary>A throwaway root filesystem directory with helpers to write files into it.</summary>
internal sealed class TempRootfs : IDisposable
{
    public TempRootfs()
    {
        Path = Directory.CreateTempSubdirectory("gantry-spec-tests-").FullName;
    }

    public string Path { get; }

    public string Write(string containerPath, string content)
    {
        var hostPath = Path + containerPath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(hostPath)!);
        File.WriteAllText(hostPath, content);
        return hostPath;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Launch inputs with sensible defaults, and options that do not depend on the machine running the tests.</summary>
internal static class SpecFixtures
{
    /// <summary>All capabilities on the host, the documented ceilings, x86 architectures.</summary>
    public static readonly RuntimeSpecOptions Options = new()
    {
        HostCapabilities = null,
        SeccompArchitectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    };

    public static ImageConfig Image(ContainerConfig? config = null) => new()
    {
        Architecture = "amd64",
        Config = config,
        RootFs = new RootFs { DiffIds = [] },
    };

    public static ContainerLaunch Launch(
        ContainerDefinition? definition = null,
        ContainerConfig? image = null,
        string rootfs = "/nonexistent/rootfs",
        NetworkSetup network = NetworkSetup.Isolated,
        string? networkNamespacePath = null,
        IReadOnlyList<HostMount>? mounts = null,
        IReadOnlyDictionary<string, string>? environment = null) => new(
            ContainerId: "c1",
            Definition: definition ?? new ContainerDefinition { Name = "app", Command = ["/bin/true"] },
            Image: Image(image),
            RootfsPath: rootfs,
            Hostname: "task-host",
            Network: network,
            NetworkNamespacePath: networkNamespacePath,
            Mounts: mounts ?? [],
            HostsFile: "/run/gantry/t1/hosts",
            HostnameFile: "/run/gantry/t1/hostname",
            ResolvConfFile: "/run/gantry/t1/resolv.conf",
            CgroupsPath: "/gantry/t1/app",
            Environment: environment ?? new Dictionary<string, string>());

    public static RuntimeSpec Build(ContainerDefinition definition, ContainerConfig? image = null) =>
        RuntimeSpecBuilder.Build(Launch(definition, image), Options);

    public static ContainerDefinition Definition(LinuxParameters? linux = null) =>
        new() { Name = "app", Command = ["/bin/true"], LinuxParameters = linux };
}
