using System.Runtime.InteropServices;
using System.Text.Json;
using Gantry.Oci.Build;

namespace Gantry.Oci.Tests.Build;

public sealed class ImageConfigTests
{
    private static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ImageConfig Sample() => new()
    {
        Created = Created,
        Architecture = "amd64",
        Config = new ContainerConfig
        {
            User = "1000:1000",
            Env = ["PATH=/usr/bin"],
            Entrypoint = ["/bin/app"],
            Cmd = ["--serve"],
            WorkingDir = "/srv",
            ExposedPorts = ["80/tcp", "53/udp"],
            Labels = new Dictionary<string, string> { ["team"] = "web" },
        },
        RootFs = new RootFs { DiffIds = ["sha256:" + new string('a', 64)] },
        History = [new HistoryEntry { Created = Created, CreatedBy = "gantry image build" }],
    };

    [Fact]
    public void The_json_uses_the_member_names_of_the_image_spec()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        Assert.Equal(["created", "architecture", "os", "config", "rootfs", "history"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("linux", root.GetProperty("os").GetString());
        Assert.Equal(
            ["User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "WorkingDir", "Labels"],
            root.GetProperty("config").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["type", "diff_ids"], root.GetProperty("rootfs").EnumerateObject().Select(p => p.Name));
        Assert.Equal("layers", root.GetProperty("rootfs").GetProperty("type").GetString());
        Assert.Equal(["created", "created_by"], root.GetProperty("history")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Exposed_ports_are_a_map_to_empty_objects()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());

        Assert.Equal("""{"80/tcp":{},"53/udp":{}}""", json.RootElement.GetProperty("config").GetProperty("ExposedPorts").GetRawText());
    }

    [Fact]
    public void The_config_reads_back_what_it_wrote()
    {
        var parsed = ImageConfig.Parse(Sample().ToJson());

        Assert.Equal(["80/tcp", "53/udp"], parsed.Config!.ExposedPorts!);
        Assert.Equal(["/bin/app"], parsed.Config.Entrypoint!);
        Assert.Equal(Created, parsed.Created);
        Assert.Equal(Sample().RootFs.DiffIds, parsed.RootFs.DiffIds);
    }

    [Theory]
    [InlineData(Architecture.X64, "amd64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.Arm, "arm")]
    public void Architectures_are_named_as_goarch(Architecture architecture, string expected) =>
        Assert.Equal(expected, GoArchitecture.From(architecture));

    [Fact]
    public void The_current_architecture_is_this_machines() =>
        Assert.Equal(GoArchitecture.From(RuntimeInformation.OSArchitecture), GoArchitecture.Current);
}
