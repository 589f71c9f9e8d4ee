using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Gantry.Oci;
using Gantry.Oci.Build;
using Gantry.Oci.Push;

namespace Gantry.Agent.Tests.Images;

/// <summary>
/// A real CNCF distribution registry (Debian's <c>docker-registry</c>) on a free 127.0.0.1 port with filesystem storage in a
/// temporary directory, and helpers to push test images into it.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private const string Binary = "/usr/bin/docker-registry";

    private readonly string _root = Directory.CreateTempSubdirectory("gantry-agent-registry-").FullName;
    private Process? _process;

    public HttpClient Http { get; } = new();

    /// <summary>The registry as image references name it: <c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; private set; } = "";

    public string StorageRoot => Path.Combine(_root, "storage");

    public Uri BaseUri => new($"http://{Host}/");

    public async Task InitializeAsync()
    {
        var timeout = TestTimeout.Token();
        if (!File.Exists(Binary))
        {
            await RunAsync("apt-get", ["install", "-y", "-qq", "docker-registry"], timeout);
        }
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3 && _process is null; attempt++)
        {
            var port = FreePort();
            var config = Path.Combine(_root, $"registry-{port}.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: {StorageRoot}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                log:
                  level: info
                """, timeout);
            var (started, log) = await StartAsync(config, timeout);
            if (started is not null)
            {
                _process = started;
                Host = $"127.0.0.1:{port}";
            }
            else
            {
                failures.Add(log);
            }
        }
        Assert.True(_process is not null, $"docker-registry did not start: {string.Join("\n", failures)}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(TestTimeout.Token());
            _process.Dispose();
        }
        Http.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Where the registry keeps a blob's bytes.</summary>
    public string BlobPath(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(StorageRoot, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }

    /// <summary>Builds a single-layer image from <paramref name="files"/> (path → content) with <see cref="ImageBuilder"/> and pushes it.</summary>
    public async Task<BuiltImage> PushFilesAsync(string repository, string tag, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var work = Path.Combine(_root, "build", Guid.NewGuid().ToString("N"));
        var rootfs = Directory.CreateDirectory(Path.Combine(work, "rootfs")).FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(rootfs, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content, cancellationToken);
            if (path.EndsWith(".sh", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(full, (UnixFileMode)0x1ED);
            }
        }
        var options = new ImageBuildOptions { RootFs = rootfs, Cmd = ["/app/run.sh"], Env = ["GREETING=hello"] };
        var image = await new ImageBuilder(TimeProvider.System).BuildAsync(options, Path.Combine(work, "layout"), cancellationToken);
        await PushAsync(image, repository, tag, cancellationToken);
        return image;
    }

    /// <summary>Pushes an image made of the given layer blobs (bottom first), each with the tar it holds, under <paramref name="tag"/>.</summary>
    public async Task<BuiltImage> PushLayersAsync(string repository, string tag, IReadOnlyList<(byte[] Tar, byte[] Blob, string MediaType)> layers, CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(_root, "build", Guid.NewGuid().ToString("N"))).FullName;
        var blobs = new List<BuiltBlob>();
        foreach (var (_, blob, mediaType) in layers)
        {
            blobs.Add(await WriteBlobAsync(work, blob, mediaType, cancellationToken));
        }
        var config = new ImageConfig
        {
            Architecture = GoArchitecture.Current,
            Config = new ContainerConfig { Cmd = ["/bin/sh"] },
            RootFs = new RootFs { DiffIds = [.. layers.Select(l => Digest.Of(l.Tar).ToString())] },
        };
        var configBlob = await WriteBlobAsync(work, config.ToJson(), MediaTypes.OciConfig, cancellationToken);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = configBlob.Descriptor,
            ["layers"] = blobs.Select(b => b.Descriptor).ToList(),
        });
        var image = new BuiltImage(manifest, Digest.Of(manifest), [.. blobs, configBlob]);
        await PushAsync(image, repository, tag, cancellationToken);
        return image;
    }

    public Task PushAsync(BuiltImage image, string repository, string tag, CancellationToken cancellationToken) =>
        new RegistryPusher(Http, BaseUri, credentials: null).PushAsync(image, repository, tag, progress: null, cancellationToken);

    /// <summary>Puts an OCI index listing <paramref name="entries"/> (manifests already in the repository) under <paramref name="tag"/>.</summary>
    public async Task<string> PutIndexAsync(string repository, string tag, IEnumerable<(BuiltImage Image, string Architecture)> entries, CancellationToken cancellationToken)
    {
        var index = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = entries.Select(e => new Descriptor
            {
                MediaType = MediaTypes.OciManifest,
                Digest = e.Image.ManifestDigest.ToString(),
                Size = e.Image.Manifest.Length,
                Platform = new Platform { Os = "linux", Architecture = e.Architecture },
            }).ToList(),
        });
        using var content = new ByteArrayContent(index);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciIndex);
        using var response = await Http.PutAsync(new Uri(BaseUri, $"v2/{repository}/manifests/{tag}"), content, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Digest.Of(index).ToString();
    }

    private static async Task<BuiltBlob> WriteBlobAsync(string directory, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        var digest = Digest.Of(content);
        var path = Path.Combine(directory, digest.Hex);
        await File.WriteAllBytesAsync(path, content, cancellationToken);
        return new BuiltBlob(new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = content.Length }, path);
    }

    /// <summary>Starts the registry and waits for it to log that it listens; null (and its log) when it exits first.</summary>
    private static async Task<(Process? Process, string Log)> StartAsync(string config, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetResult(false);
                return;
            }
            lock (log)
            {
                log.AppendLine(e.Data);
            }
            if (e.Data.Contains("listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult(true);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetResult(false);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (await listening.Task.WaitAsync(cancellationToken))
        {
            return (process, "");
        }
        await process.WaitForExitAsync(cancellationToken);
        process.Dispose();
        lock (log)
        {
            return (null, log.ToString());
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var message = await error;
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"{file} exited {process.ExitCode}: {message}"));
    }
}
