using System.Text.Json;
using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class RuntimeSpecJsonTests
{
    [Fact]
    public void Member_names_are_the_runtime_specs()
    {
        var definition = SpecFixtures.Definition() with
        {
            Memory = 64,
            MemoryReservation = 32,
            User = "5:6",
            DockerLabels = new Dictionary<string, string> { ["team"] = "a" },
        };
        using var json = JsonDocument.Parse(RuntimeSpecBuilder.ToJson(SpecFixtures.Build(definition)));
        var root = json.RootElement;
        JsonElement At(string path) => path.Split('.').Aggregate(root, (e, part) => int.TryParse(part, out var i) ? e[i] : e.GetProperty(part));

        Assert.Equal("1.0.2", At("ociVersion").GetString());
        Assert.False(At("process.terminal").GetBoolean());
        Assert.Equal(5, At("process.user.uid").GetInt32());
        Assert.Equal(6, At("process.user.gid").GetInt32());
        Assert.Equal("/bin/true", At("process.args.0").GetString());
        Assert.Equal("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", At("process.env.0").GetString());
        Assert.Equal("/", At("process.cwd").GetString());
        foreach (var set in new[] { "bounding", "effective", "permitted", "inheritable", "ambient" })
        {
            Assert.Equal(JsonValueKind.Array, At("process.capabilities." + set).ValueKind);
        }
        Assert.Equal("RLIMIT_NOFILE", At("process.rlimits.0.type").GetString());
        Assert.Equal(20000ul, At("process.rlimits.0.hard").GetUInt64());
        Assert.Equal(1024ul, At("process.rlimits.0.soft").GetUInt64());
        Assert.True(At("process.noNewPrivileges").GetBoolean());
        Assert.Equal("/nonexistent/rootfs", At("root.path").GetString());
        Assert.False(At("root.readonly").GetBoolean());
        Assert.Equal("task-host", At("hostname").GetString());
        Assert.Equal("/proc", At("mounts.0.destination").GetString());
        Assert.Equal("proc", At("mounts.0.type").GetString());
        Assert.Equal("proc", At("mounts.0.source").GetString());
        Assert.Equal("nosuid", At("mounts.1.options.0").GetString());
        Assert.Equal("a", At("annotations.team").GetString());
        Assert.Equal("pid", At("linux.namespaces.0.type").GetString());
        Assert.False(At("linux.namespaces.0").TryGetProperty("path", out _));
        Assert.Equal(64L * 1024 * 1024, At("linux.resources.memory.limit").GetInt64());
        Assert.Equal(32L * 1024 * 1024, At("linux.resources.memory.reservation").GetInt64());
        Assert.Equal(64L * 1024 * 1024, At("linux.resources.memory.swap").GetInt64());
        Assert.Equal(2ul, At("linux.resources.cpu.shares").GetUInt64());
        Assert.Equal(4096, At("linux.resources.pids.limit").GetInt64());
        Assert.False(At("linux.resources.devices.0.allow").GetBoolean());
        Assert.Equal("rwm", At("linux.resources.devices.0.access").GetString());
        Assert.Equal("/gantry/t1/app", At("linux.cgroupsPath").GetString());
        Assert.Equal("/proc/asound", At("linux.maskedPaths.0").GetString());
        Assert.Equal("/proc/bus", At("linux.readonlyPaths.0").GetString());
        Assert.Equal("SCMP_ACT_ALLOW", At("linux.seccomp.defaultAction").GetString());
        Assert.Equal("SCMP_ARCH_X86_64", At("linux.seccomp.architectures.0").GetString());
        Assert.Equal("kexec_load", At("linux.seccomp.syscalls.0.names.0").GetString());
        Assert.Equal("SCMP_ACT_ERRNO", At("linux.seccomp.syscalls.0.action").GetString());
        Assert.Equal(1u, At("linux.seccomp.syscalls.0.errnoRet").GetUInt32());
    }

    [Fact]
    public void Nulls_are_left_out()
    {
        var text = System.Text.Encoding.UTF8.GetString(RuntimeSpecBuilder.ToJson(SpecFixtures.Build(SpecFixtures.Definition(new LinuxParameters()) with { Privileged = true })));
        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"seccomp\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"oomScoreAdj\"", text, StringComparison.Ordinal);
    }
}
