using Gantry.Agent.Engine;
using Gantry.Agent.Images;
using Gantry.Agent.Networking;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Sandbox;
using Gantry.Agent.Tests.Images;
using Gantry.Oci.Build;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Tests.Engine;

/// <summary>
/// A real node for engine tests: a CNCF registry holding a busybox-static image and an image without a command,
/// and a state directory for the image store, runc/conmon and task files. Needs root, runc and conmon.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public RegistryFixture Registry { get; } = new();
    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("gantry-engine-").FullName;
    public string Busybox => $"{Registry.Host}/busybox:latest";
    public string NoCommand => $"{Registry.Host}/nocommand:latest";

    /// <summary>A bridge of the tests' own (not the agent's default), removed at the end.</summary>
    public System.Net.IPAddress Bridge { get; } = System.Net.IPAddress.Parse("10.214.0.1");
    public string BridgeName { get; } = "gantrytest0";

    /// <summary>Task cgroups and ephemeral storage under the state directory (the host's real cgroups).</summary>
    public TaskSandboxes Sandboxes => new(StateDirectory, TimeProvider.System, NullLogger.Instance);

    public async Task InitializeAsync()
    {
        await Registry.InitializeAsync();
        var ct = TestTimeout.Token();
        var rootfs = Directory.CreateTempSubdirectory("gantry-busybox-").FullName;
        foreach (var dir in new[] { "bin", "etc", "tmp", "proc", "sys", "dev" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "sleep", "cat", "echo", "hostname", "tail", "ps", "ls", "grep", "true", "touch", "test", "[", "dd", "df" })
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n", ct);
        var builder = new ImageBuilder(TimeProvider.System);
        var image = await builder.BuildAsync(new ImageBuildOptions { RootFs = rootfs, Cmd = ["sh"] }, Path.Combine(StateDirectory, "build-busybox"), ct);
        await Registry.PushAsync(image, "busybox", "latest", ct);
        var bare = await builder.BuildAsync(new ImageBuildOptions { RootFs = rootfs }, Path.Combine(StateDirectory, "build-nocommand"), ct);
        await Registry.PushAsync(bare, "nocommand", "latest", ct);
        Directory.Delete(rootfs, recursive: true);
    }

    /// <summary>A new engine over the shared state directory, as a (re)started agent would build it.</summary>
    public (TaskEngine Engine, ImageStore Images) NewEngine(HttpClient http)
    {
        var images = new ImageStore(Path.Combine(StateDirectory, "images"), new RegistryClient(http), TimeProvider.System, NullLogger<ImageStore>.Instance);
        var runtime = new ContainerRuntime(StateDirectory, TimeProvider.System, NullLogger<ContainerRuntime>.Instance);
        var network = new TaskNetwork(new AddressPool(Path.Combine(StateDirectory, "ipam"), Bridge, TimeProvider.System), Bridge, BridgeName, publishAddress: System.Net.IPAddress.Loopback); // tests publish on loopback only
        var node = new NodeServices(images, runtime, new TaskStateFiles(StateDirectory), network, Registry.Host, TimeProvider.System, NullLogger<TaskEngine>.Instance,
            Sandboxes: Sandboxes);
        return (new TaskEngine(node), images);
    }

    public async Task DisposeAsync()
    {
        // Leave nothing running: kill and delete every container this fixture's runc root knows.
        var runtime = new ContainerRuntime(StateDirectory, TimeProvider.System, NullLogger<ContainerRuntime>.Instance);
        foreach (var id in await runtime.ListAsync(CancellationToken.None))
        {
            await runtime.DeleteAsync(id, CancellationToken.None);
            OverlayMount.Unmount(runtime.PathsOf(id).Rootfs);
        }
        // Then every task's cgroup and storage: the state directory must not be deleted through a mounted filesystem.
        await Sandboxes.SweepAsync(new HashSet<string>(), CancellationToken.None);
        await ProcessRunner.RunAsync("/usr/sbin/ip", ["link", "delete", BridgeName], CancellationToken.None);
        await Registry.DisposeAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }
}
