using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>The registry with the real clients: skopeo and podman push and pull, the AWS CLI's ECR commands.</summary>
public sealed class RegistryClientTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private AwsCli Aws => fixture.Aws;
    private RegistryClients Clients => fixture.Clients;

    [Fact]
    public async Task Skopeo_round_trip_of_a_multi_layer_image_over_100_MB_is_identical_by_digest()
    {
        await Aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/big");
        var source = Directory.CreateTempSubdirectory("gantry-oci-src-").FullName;
        var pulled = Directory.CreateTempSubdirectory("gantry-oci-dst-").FullName;
        try
        {
            var manifest = await OciLayout.WriteAsync(source, "v1", [50_000_000, 40_000_000, 15_000_000, 1024]);
            await Clients.CopyAsync($"oci:{source}:v1", $"docker://{Clients.Registry}/e2e/big:v1");
            await Clients.CopyAsync($"docker://{Clients.Registry}/e2e/big:v1", $"oci:{pulled}:v1");

            var inspected = JsonDocument.Parse(await Clients.SkopeoAsync("inspect", "--tls-verify=false", $"docker://{Clients.Registry}/e2e/big:v1")).RootElement;
            Assert.Equal(manifest, inspected.GetProperty("Digest").GetString());
            var sent = await OciLayout.BlobDigestsAsync(source);
            var received = await OciLayout.BlobDigestsAsync(pulled);
            Assert.Equal(sent.OrderBy(p => p.Key), received.OrderBy(p => p.Key));
            Assert.All(received, blob => Assert.Equal(blob.Key, blob.Value));

            var detail = (await Aws.OkAsync("ecr", "describe-images", "--repository-name", "e2e/big")).GetProperty("imageDetails")[0];
            Assert.Equal(manifest, detail.GetProperty("imageDigest").GetString());
            Assert.True(detail.GetProperty("imageSizeInBytes").GetInt64() > 100_000_000);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            Directory.Delete(pulled, recursive: true);
        }
    }

    [Fact]
    public async Task Copy_between_repositories_of_the_registry_keeps_the_digest()
    {
        await Aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/copy-target");
        await Clients.CopyAsync($"docker://{Clients.Registry}/busybox:latest", $"docker://{Clients.Registry}/e2e/copy-target:same");
        var original = JsonDocument.Parse(await Clients.SkopeoAsync("inspect", "--tls-verify=false", $"docker://{Clients.Registry}/busybox:latest")).RootElement;
        var copy = JsonDocument.Parse(await Clients.SkopeoAsync("inspect", "--tls-verify=false", $"docker://{Clients.Registry}/e2e/copy-target:same")).RootElement;
        Assert.Equal(original.GetProperty("Digest").GetString(), copy.GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task Podman_pulls_the_sample_image_and_pushes_it_to_another_repository()
    {
        await Aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/podman");
        var root = Directory.CreateTempSubdirectory("gantry-podman-").FullName;
        try
        {
            var conf = Path.Combine(root, "containers.conf");
            await File.WriteAllTextAsync(conf, "[engine]\nruntime = \"runc\"\n[containers]\ndefault_ulimits = [\"nofile=20000:20000\",\"nproc=32768:32768\"]\n");
            var env = new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf, ["HOME"] = root };
            string[] store = ["--root", Path.Combine(root, "storage"), "--runroot", Path.Combine(root, "run"), "--storage-driver", "vfs"];
            var auth = Path.Combine(root, "auth.json");
            await Tool.OkAsync(RegistryClients.Podman, [.. store, "login", "--tls-verify=false", "--authfile", auth, "-u", "AWS", "--password-stdin", Clients.Registry],
                stdin: await Clients.PasswordAsync(), environment: env);
            await Tool.OkAsync(RegistryClients.Podman, [.. store, "pull", "--tls-verify=false", "--authfile", auth, $"{Clients.Registry}/busybox:latest"], environment: env);
            await Tool.OkAsync(RegistryClients.Podman, [.. store, "tag", $"{Clients.Registry}/busybox:latest", $"{Clients.Registry}/e2e/podman:v1"], environment: env);
            await Tool.OkAsync(RegistryClients.Podman, [.. store, "push", "--tls-verify=false", "--authfile", auth, $"{Clients.Registry}/e2e/podman:v1"], environment: env);
            var images = await Aws.OkAsync("ecr", "list-images", "--repository-name", "e2e/podman");
            Assert.Equal("v1", images.GetProperty("imageIds")[0].GetProperty("imageTag").GetString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Immutable_repository_refuses_a_tag_overwrite_from_skopeo()
    {
        var created = await Aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/immutable", "--image-tag-mutability", "IMMUTABLE");
        Assert.Equal($"{Clients.Registry}/e2e/immutable", created.GetProperty("repository").GetProperty("repositoryUri").GetString());
        var first = Directory.CreateTempSubdirectory("gantry-oci-a-").FullName;
        var second = Directory.CreateTempSubdirectory("gantry-oci-b-").FullName;
        try
        {
            await OciLayout.WriteAsync(first, "v1", [1000]);
            await OciLayout.WriteAsync(second, "v1", [1000]);
            await Clients.CopyAsync($"oci:{first}:v1", $"docker://{Clients.Registry}/e2e/immutable:v1");
            var overwrite = await Clients.TrySkopeoAsync("copy", "--dest-tls-verify=false", $"oci:{second}:v1", $"docker://{Clients.Registry}/e2e/immutable:v1");
            Assert.NotEqual(0, overwrite.ExitCode);
            Assert.Contains("tag invalid: The image tag 'v1' already exists in the 'e2e/immutable' repository and cannot be overwritten", overwrite.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public async Task Skopeo_login_with_a_wrong_password_is_refused()
    {
        var result = await Tool.RunAsync(RegistryClients.Skopeo, ["login", "--tls-verify=false", "--authfile", Path.Combine(fixture.Gantry.Home, "wrong.json"),
            "--username", "AWS", "--password-stdin", Clients.Registry], stdin: "gantry1.forged.token");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("invalid username/password", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ecr_commands_of_the_AWS_CLI_manage_repositories_and_images()
    {
        await Aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/cli", "--tags", "Key=team,Value=platform");
        await Clients.CopyAsync($"docker://{Clients.Registry}/busybox:latest", $"docker://{Clients.Registry}/e2e/cli:one");
        await Clients.CopyAsync($"docker://{Clients.Registry}/busybox:latest", $"docker://{Clients.Registry}/e2e/cli:two");

        var described = await Aws.OkAsync("ecr", "describe-repositories", "--repository-names", "e2e/cli");
        Assert.Equal("MUTABLE", described.GetProperty("repositories")[0].GetProperty("imageTagMutability").GetString());
        var images = await Aws.OkAsync("ecr", "describe-images", "--repository-name", "e2e/cli");
        Assert.Equal(["one", "two"], images.GetProperty("imageDetails")[0].GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()).Order());
        var fetched = await Aws.OkAsync("ecr", "batch-get-image", "--repository-name", "e2e/cli", "--image-ids", "imageTag=one");
        Assert.Contains("schemaVersion", fetched.GetProperty("images")[0].GetProperty("imageManifest").GetString(), StringComparison.Ordinal);

        await Aws.OkAsync("ecr", "batch-delete-image", "--repository-name", "e2e/cli", "--image-ids", "imageTag=one");
        var remaining = await Aws.OkAsync("ecr", "list-images", "--repository-name", "e2e/cli");
        Assert.Equal("two", remaining.GetProperty("imageIds").EnumerateArray().Single().GetProperty("imageTag").GetString());

        var notEmpty = await Aws.RunAsync("ecr", "delete-repository", "--repository-name", "e2e/cli");
        Assert.Contains("RepositoryNotEmptyException", notEmpty.StandardError, StringComparison.Ordinal);
        await Aws.OkAsync("ecr", "delete-repository", "--repository-name", "e2e/cli", "--force");
        var gone = await Aws.RunAsync("ecr", "describe-repositories", "--repository-names", "e2e/cli");
        Assert.Contains("RepositoryNotFoundException", gone.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gantry_image_import_builds_and_pushes_a_rootfs_with_its_config()
    {
        var rootfs = Directory.CreateTempSubdirectory("gantry-rootfs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootfs, "app"));
            await File.WriteAllTextAsync(Path.Combine(rootfs, "app", "hello.txt"), "hello");
            var output = await Tool.OkAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "image", "import", rootfs, "e2e/imported:v3",
                "--endpoint", fixture.Gantry.Endpoint.ToString(), "--data-dir", fixture.Gantry.DataDirectory,
                "--entrypoint", "/bin/sh", "--entrypoint", "-c", "--cmd", "echo hi", "--env", "MODE=test", "--workdir", "/app", "--expose", "8080"],
                environment: new Dictionary<string, string> { ["HOME"] = fixture.Gantry.Home });
            Assert.Contains($"{Clients.Registry}/e2e/imported:v3 sha256:", output, StringComparison.Ordinal);
            var config = JsonDocument.Parse(await Clients.SkopeoAsync("inspect", "--tls-verify=false", "--config", $"docker://{Clients.Registry}/e2e/imported:v3")).RootElement.GetProperty("config");
            Assert.Equal(["/bin/sh", "-c"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["echo hi"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("/app", config.GetProperty("WorkingDir").GetString());
            Assert.Contains("MODE=test", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
            Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }
}
