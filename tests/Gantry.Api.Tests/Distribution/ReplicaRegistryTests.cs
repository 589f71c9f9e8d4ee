using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gantry.Api.Ecr;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Iam;
using Gantry.Logs.Sqlite;
using Gantry.Registry.Content;
using Gantry.Store;
using Gantry.Store.Postgres;
using Gantry.Testing.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Api.Tests.Distribution;

/// <summary>
/// Two replicas (two API hosts, each with its own store connection) on one PostgreSQL database and one shared blob
/// directory: a push may land on either for each request, and the collector on one never takes what the other uses.
/// </summary>
public sealed class ReplicaRegistryTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-replicas-").FullName;
    private string _database = "";
    private Replica _a = null!, _b = null!;

    private string Blobs => Path.Combine(_directory, "shared-blobs");

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _a = await Replica.StartAsync(_database, _directory, Blobs, "a");
        _b = await Replica.StartAsync(_database, _directory, Blobs, "b");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await server.DropDatabaseAsync(_database);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_chunked_push_started_on_one_replica_and_finished_on_the_other_pulls_byte_identical_from_both()
    {
        var repo = await _a.CreateRepositoryAsync();
        var layer = RandomNumberGenerator.GetBytes(300_000);
        var location = await _a.StartUploadAsync(repo);
        location = await _a.PatchAsync(location, layer, 0, 100_000);
        location = await _b.PatchAsync(location, layer, 100_000, 250_000);
        location = await _a.PatchAsync(location, layer, 250_000, 280_000);
        var layerDigest = RegistryTestClient.DigestOf(layer);
        using (var put = await _b.SendAsync(HttpMethod.Put, RegistryTestClient.WithDigest(new Uri(location, UriKind.Relative), layerDigest), RegistryTestClient.Octets(layer[280_000..])))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = await _b.PushBlobAsync(repo, config);
        var manifest = $$"""{"schemaVersion":2,"mediaType":"{{RegistryTestClient.OciManifest}}","config":{"mediaType":"{{RegistryTestClient.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"{{RegistryTestClient.OciLayer}}","digest":"{{layerDigest}}","size":{{layer.Length}}}]}""";
        using (var push = await _a.PushManifestAsync(repo, "v1", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        foreach (var replica in new[] { _a, _b })
        {
            Assert.Equal(manifest, Encoding.UTF8.GetString(await replica.GetAsync($"/v2/{repo}/manifests/v1", RegistryTestClient.OciManifest)));
            Assert.Equal(layer, await replica.GetAsync($"/v2/{repo}/blobs/{layerDigest}"));
            Assert.Equal(config, await replica.GetAsync($"/v2/{repo}/blobs/{configDigest}"));
        }
    }

    [Fact]
    public async Task The_collector_on_one_replica_spares_the_other_ones_upload_in_progress_and_fresh_blobs()
    {
        var repo = await _a.CreateRepositoryAsync();
        var layer = RandomNumberGenerator.GetBytes(200_000);
        var pushed = RandomNumberGenerator.GetBytes(5_000);
        var pushedDigest = await _b.PushBlobAsync(repo, pushed); // linked, not yet in a manifest
        var orphan = RandomNumberGenerator.GetBytes(7_000);
        var orphanPath = await _b.IngestOldOrphanAsync(orphan);
        var location = await _b.StartUploadAsync(repo);
        location = await _b.PatchAsync(location, layer, 0, 120_000);

        var collected = await _a.Services.GetRequiredService<GarbageCollector>().CollectAsync(Hour, Hour, CancellationToken.None);

        Assert.Equal(new CollectionResult(LinksRemoved: 0, BlobsRemoved: 1, BytesFreed: orphan.Length, UploadsRemoved: 0), collected);
        Assert.False(File.Exists(orphanPath));
        location = await _b.PatchAsync(location, layer, 120_000, 200_000);
        var layerDigest = RegistryTestClient.DigestOf(layer);
        using (var put = await _a.SendAsync(HttpMethod.Put, RegistryTestClient.WithDigest(new Uri(location, UriKind.Relative), layerDigest)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(layer, await _a.GetAsync($"/v2/{repo}/blobs/{layerDigest}"));
        Assert.Equal(pushed, await _a.GetAsync($"/v2/{repo}/blobs/{pushedDigest}"));
    }

    [Fact]
    public async Task The_leading_replica_collects_in_its_controllers_loop()
    {
        var orphan = await _b.IngestOldOrphanAsync(RandomNumberGenerator.GetBytes(1_000));
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(_a.RunControllersAsync(stop.Token), _b.RunControllersAsync(stop.Token));

        await Eventually.TrueAsync(() => Task.FromResult(!File.Exists(orphan)), timeoutSeconds: 30);

        var leaders = new[] { _a, _b }.Count(r => r.Services.GetRequiredService<ControlPlane.Leadership.LeaderElection>().Token != 0);
        await stop.CancelAsync();
        await running;
        Assert.Equal(1, leaders);
    }

    /// <summary>One replica: its own state store and log store, the shared registry directory, one master key for all.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly PostgresStateStore _store;
        private readonly SqliteLogStore _logs;
        private readonly RegistryParts _registry;
        private readonly HttpClient _http;

        private Replica(WebApplication app, PostgresStateStore store, SqliteLogStore logs, RegistryParts registry, AccessKey key)
        {
            (_app, _store, _logs, _registry) = (app, store, logs, registry);
            var (password, _) = registry.Tokens.Issue(key.AccessKeyId, key.UserName);
            _http = new HttpClient { BaseAddress = ApiHost.BoundAddress(app), Timeout = TimeSpan.FromSeconds(30) };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{password}")));
        }

        public IServiceProvider Services => _app.Services;

        public static async Task<Replica> StartAsync(string database, string directory, string blobs, string name)
        {
            var store = await PostgresStateStore.OpenAsync(database, CancellationToken.None);
            var masterKey = MasterKey.LoadOrCreate(Path.Combine(directory, "master.key"));
            var keys = new AccessKeyStore(store, masterKey, TimeProvider.System);
            var key = await keys.EnsureRootKeyAsync(CancellationToken.None);
            var registry = RegistryParts.Open(blobs, store, keys, masterKey, TimeProvider.System);
            var logs = await SqliteLogStore.OpenAsync(Path.Combine(directory, $"logs-{name}.db"), CancellationToken.None);
            var loopback = new IPEndPoint(IPAddress.Loopback, 0);
            var app = ApiHost.Build(new ApiHostOptions(loopback, AwsAccount.Default, loopback)
            {
                ReplicaId = name,
                SharedStore = true,
                RegistryGc = new GcSchedule(TimeSpan.FromMilliseconds(100), Hour, Hour),
            },
                store, logs, new ApiTestHost.TrustEveryone(key.AccessKeyId), registry,
                new IamDirectory(new Documents(store, AwsJson.Options), AwsAccount.Default, keys, new AccessKeyUsage(store, TimeProvider.System), TimeProvider.System),
                AwsJson.Options, TimeProvider.System);
            await app.StartAsync();
            return new Replica(app, store, logs, registry, key);
        }

        public async Task<string> CreateRepositoryAsync()
        {
            var name = RegistryTestClient.UniqueName("replicas");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent($$"""{"repositoryName":"{{name}}"}""", Encoding.UTF8),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
            request.Headers.Add("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository");
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return name;
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? contentRange = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (contentRange is not null)
            {
                request.Content!.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            }
            return await _http.SendAsync(request);
        }

        /// <summary>The leader election and, while leading, the controllers, with a collection every 100 ms.</summary>
        public Task RunControllersAsync(CancellationToken ct) => ApiHost.RunControllersAsync(_app.Services, ct);

        public async Task<string> StartUploadAsync(string repository)
        {
            using var start = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            return start.Headers.Location!.ToString();
        }

        /// <summary>Sends bytes [from, to) of <paramref name="content"/> as the next chunk; returns the next location.</summary>
        public async Task<string> PatchAsync(string location, byte[] content, int from, int to)
        {
            using var patch = await SendAsync(HttpMethod.Patch, location, RegistryTestClient.Octets(content[from..to]), $"{from}-{to - 1}");
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{to - 1}", patch.Headers.GetValues("Range").Single());
            return patch.Headers.Location!.ToString();
        }

        public async Task<string> PushBlobAsync(string repository, byte[] content)
        {
            var location = await StartUploadAsync(repository);
            var digest = RegistryTestClient.DigestOf(content);
            using var put = await SendAsync(HttpMethod.Put, RegistryTestClient.WithDigest(new Uri(location, UriKind.Relative), digest), RegistryTestClient.Octets(content));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            return digest;
        }

        public async Task<HttpResponseMessage> PushManifestAsync(string repository, string reference, string json)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            content.Headers.ContentType = new MediaTypeHeaderValue(RegistryTestClient.OciManifest);
            return await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content);
        }

        public async Task<byte[]> GetAsync(string path, string? accept = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsByteArrayAsync();
        }

        /// <summary>A blob no repository links, written two hours ago: what the collector must take.</summary>
        public async Task<string> IngestOldOrphanAsync(byte[] content)
        {
            var digest = Oci.Digest.Of(content);
            using (var stream = new MemoryStream(content))
            {
                await _registry.Catalog.Blobs.IngestAsync(stream, digest, content.Length, CancellationToken.None);
            }
            var path = _registry.Catalog.Blobs.PathOf(digest);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromHours(2));
            return path;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _app.DisposeAsync();
            await _store.DisposeAsync();
            await _logs.DisposeAsync();
        }
    }
}
