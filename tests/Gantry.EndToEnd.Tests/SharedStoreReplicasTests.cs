using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gantry.EndToEnd.Tests.Infrastructure;
using Gantry.Testing.Postgres;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Two `gantry server` processes on one PostgreSQL database (`--store`) and one blob directory (`--blobs`), one master
/// key: what one replica stores in the log store and the registry, the other serves, with the real AWS CLI.
/// </summary>
public sealed class SharedStoreReplicasTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Logs_and_a_layer_uploaded_in_parts_through_both_servers_are_served_by_either()
    {
        var blobs = Directory.CreateTempSubdirectory("gantry-blobs-").FullName;
        string[] shared = ["--store", postgres.UrlOf(await postgres.CreateDatabaseAsync()), "--blobs", blobs];
        await using var a = await GantryProcess.StartAsync("server", extraArguments: shared);
        var homeB = Directory.CreateTempSubdirectory("gantry-home-").FullName;
        var dataB = Path.Combine(homeB, ".gantry");
        Directory.CreateDirectory(dataB, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(a.DataDirectory, "master.key"), Path.Combine(dataB, "master.key"));
        await using var b = await GantryProcess.StartAsync("server", homeB, dataB, extraArguments: shared);
        await ServerProfile.WriteAsync(a);
        await ServerProfile.WriteAsync(b);
        var (awsA, awsB) = (new AwsCli(a), new AwsCli(b));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await awsA.OkAsync("logs", "create-log-group", "--log-group-name", "/shared");
        await awsB.OkAsync("logs", "create-log-stream", "--log-group-name", "/shared", "--log-stream-name", "s");
        await awsA.OkAsync("logs", "put-log-events", "--log-group-name", "/shared", "--log-stream-name", "s", "--log-events", $"timestamp={now},message=from-a");
        await awsB.OkAsync("logs", "put-log-events", "--log-group-name", "/shared", "--log-stream-name", "s", "--log-events", $"timestamp={now + 1},message=from-b");
        foreach (var aws in new[] { awsA, awsB })
        {
            var events = (await aws.OkAsync("logs", "get-log-events", "--log-group-name", "/shared", "--log-stream-name", "s", "--start-from-head"))
                .GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString());
            Assert.Equal(["from-a", "from-b"], events);
        }
        Assert.False(File.Exists(Path.Combine(a.DataDirectory, "logs.db")), "the logs went to the data directory");

        await awsA.OkAsync("ecr", "create-repository", "--repository-name", "shared");
        var layer = RandomNumberGenerator.GetBytes(300_000);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        var scratch = Directory.CreateTempSubdirectory("gantry-parts-").FullName;
        var upload = (await awsA.OkAsync("ecr", "initiate-layer-upload", "--repository-name", "shared")).GetProperty("uploadId").GetString()!;
        await UploadPartAsync(awsA, upload, layer, 0, 100_000, scratch);
        await UploadPartAsync(awsB, upload, layer, 100_000, 200_000, scratch);
        await UploadPartAsync(awsA, upload, layer, 200_000, 300_000, scratch);
        await awsB.OkAsync("ecr", "complete-layer-upload", "--repository-name", "shared", "--upload-id", upload, "--layer-digests", digest);

        var availability = (await awsA.OkAsync("ecr", "batch-check-layer-availability", "--repository-name", "shared", "--layer-digests", digest))
            .GetProperty("layers")[0];
        Assert.Equal("AVAILABLE", availability.GetProperty("layerAvailability").GetString());
        foreach (var (server, aws) in new[] { (a, awsA), (b, awsB) })
        {
            var password = (await aws.RunAsync("ecr", "get-login-password")).StandardOutput.Trim();
            using var http = new HttpClient { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{password}")));
            Assert.Equal(layer, await http.GetByteArrayAsync($"/v2/shared/blobs/{digest}"));
        }
        Directory.Delete(scratch, recursive: true);
        Directory.Delete(blobs, recursive: true);
    }

    private static async Task UploadPartAsync(AwsCli aws, string upload, byte[] layer, int from, int to, string scratch)
    {
        var part = Path.Combine(scratch, $"part-{from}");
        await File.WriteAllBytesAsync(part, layer[from..to]);
        await aws.OkAsync("ecr", "upload-layer-part", "--repository-name", "shared", "--upload-id", upload,
            "--part-first-byte", $"{from}", "--part-last-byte", $"{to - 1}", "--layer-part-blob", $"fileb://{part}");
        File.Delete(part);
    }
}
