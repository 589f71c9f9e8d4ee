using System.Diagnostics;
using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

/// <summary>The generated config.json run by the real runc over a static-busybox root filesystem.</summary>
[Trait("Category", "Runtime")]
public sealed class RuncIntegrationTests : IDisposable
{
    private const string Runc = "/usr/sbin/runc";
    private const string Busybox = "/bin/busybox";

    /// <summary>Docker's 14 default capabilities as the kernel prints them in /proc/*/status.</summary>
    private const string DockerDefaultCapEff = "00000000a80425fb";

    private readonly TempRootfs _bundle = new();
    private readonly string _id = "gantry-spec-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        Run(Runc, ["delete", "-f", _id], CancellationToken.None).Wait(TimeSpan.FromSeconds(30));
        _bundle.Dispose();
    }

    [Fact]
    public async Task Runc_runs_the_generated_spec()
    {
        Assert.True(File.Exists(Busybox), $"{Busybox} is missing: apt-get install -y busybox-static");
        var rootfs = Path.Combine(_bundle.Path, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy(Busybox, Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "cat", "hostname", "grep" })
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }
        var hosts = _bundle.Write("/hosts", "127.0.0.1 localhost\n");
        var hostname = _bundle.Write("/hostname", "spec-test\n");
        var resolv = _bundle.Write("/resolv.conf", "nameserver 127.0.0.1\n");

        var launch = new ContainerLaunch(
            ContainerId: _id,
            Definition: new ContainerDefinition
            {
                Name = "app",
                Command = ["/bin/sh", "-c", "hostname; cat /proc/self/status | grep -i ^CapEff; echo $MODE"],
                Environment = [new() { Name = "MODE", Value = "from-definition" }],
                Memory = 64,
            },
            Image: SpecFixtures.Image(),
            RootfsPath: rootfs,
            Hostname: "spec-test",
            Network: NetworkSetup.Isolated,
            NetworkNamespacePath: null,
            Mounts: [],
            HostsFile: hosts,
            HostnameFile: hostname,
            ResolvConfFile: resolv,
            CgroupsPath: "/" + _id,
            Environment: new Dictionary<string, string>());
        await File.WriteAllBytesAsync(Path.Combine(_bundle.Path, "config.json"), RuntimeSpecBuilder.ToJson(RuntimeSpecBuilder.Build(launch)), TestContext.Token);

        var (exitCode, stdout, stderr) = await Run(Runc, ["run", "--bundle", _bundle.Path, _id], TestContext.Token);

        Assert.True(exitCode == 0, $"runc exited {exitCode}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["spec-test", "CapEff:\t" + DockerDefaultCapEff, "from-definition"], lines);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Run(string file, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static class TestContext
    {
        /// <summary>Bounds every await in the test.</summary>
        public static CancellationToken Token { get; } = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    }
}
