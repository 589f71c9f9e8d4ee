using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Api.Ecr;
using Gantry.Api.Front;
using Gantry.Api.Logs;
using Gantry.Auth.Keys;
using Gantry.ControlPlane.Logs;
using Gantry.ControlPlane.Networks;
using Gantry.ControlPlane.Supervision;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Iam;
using Gantry.Logs.Sqlite;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Api.Tests;

/// <summary>
/// The real API host on a free loopback port over a real SQLite store. Authentication is covered by
/// Gantry.Auth.Tests, <see cref="SignedApiTestHost"/> and the end-to-end tests; here every request counts as signed by one key.
/// </summary>
public class ApiTestHost : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-api-").FullName;
    private WebApplication _app = null!;

    /// <summary>Whether the service controller and retention sweeper run (off when a test compares store revisions).</summary>
    public bool RunsBackgroundLoops { get; init; } = true;

    /// <summary>The data directory: state.db, logs.db, registry.</summary>
    public string DataDirectory => _directory;

    /// <summary>The application's services (the operation table, the registry catalog, ...).</summary>
    public IServiceProvider Services => _app.Services;

    public IStateStore Store { get; private set; } = null!;

    public SqliteLogStore LogStore { get; private set; } = null!;

    /// <summary>The access key every JSON request counts as signed by.</summary>
    public AccessKey Key { get; private set; } = null!;

    public RegistryParts Registry { get; private set; } = null!;
    public HttpClient Http { get; } = new();
    public Uri Endpoint { get; private set; } = null!;
    public Uri AgentEndpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        var masterKey = MasterKey.LoadOrCreate(Path.Combine(_directory, "master.key"));
        var keys = new AccessKeyStore(Store, masterKey, TimeProvider.System);
        Key = await keys.EnsureRootKeyAsync(CancellationToken.None);
        Registry = RegistryParts.Open(Path.Combine(_directory, "registry"), Store, keys, masterKey, TimeProvider.System);
        LogStore = await SqliteLogStore.OpenAsync(Path.Combine(_directory, "logs.db"), CancellationToken.None);
        _app = ApiHost.Build(new ApiHostOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), AwsAccount.Default, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)),
            Store, LogStore, Authenticator(Registry), Registry, new IamDirectory(new Documents(Store, AwsJson.Options), AwsAccount.Default, keys,
                new AccessKeyUsage(Store, TimeProvider.System), TimeProvider.System), AwsJson.Options, TimeProvider.System);
        await _app.StartAsync();
        if (RunsBackgroundLoops)
        {
            var loops = _app.Services.GetRequiredService<LoopSupervisor>();
            loops.Start("controllers", ct => ApiHost.RunControllersAsync(_app.Services, ct));
            loops.Start("log retention", ct => _app.Services.GetRequiredService<RetentionSweeper>().RunAsync(TimeSpan.FromHours(1), NullLogger.Instance, ct));
            // Ready once the controllers lead (taking the lease is a commit, which tests counting revisions must not see).
            var election = _app.Services.GetRequiredService<Gantry.ControlPlane.Leadership.LeaderElection>();
            using var leading = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (election.Token == 0)
            {
                await Task.Delay(10, leading.Token);
            }
        }
        Endpoint = ApiHost.BoundAddress(_app);
        AgentEndpoint = ApiHost.BoundAgentAddress(_app);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
        await LogStore.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The EC2 networks in this host's store (the default network is made on first use).</summary>
    public NetworkDirectory Networks => new(new Documents(Store, AwsJson.Options), AwsAccount.Default);

    /// <summary>
    /// A default subnet of the default VPC (made if it is not there yet, which is a commit): what an awsvpc launch names,
    /// since ECS refuses subnets that do not exist.
    /// </summary>
    public async Task<string> DefaultSubnetAsync() => (await Networks.DefaultSubnetsAsync(CancellationToken.None))[0].Id;

    /// <summary>Calls an ECS operation with a raw JSON body; returns status and parsed body.</summary>
    public async Task<(int Status, JsonElement Body)> CallAsync(string operation, string json, string target = "AmazonEC2ContainerServiceV20141113",
        string contentType = "application/x-amz-json-1.1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Amz-Target", $"{target}.{operation}");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    /// <summary>How JSON requests are authenticated: here every one counts as signed by <see cref="Key"/>.</summary>
    protected virtual IRequestAuthenticator Authenticator(RegistryParts registry) => new TrustEveryone(Key.AccessKeyId);

    internal sealed class TrustEveryone(string accessKeyId) : IRequestAuthenticator, IBodyAuthentication
    {
        public ValueTask<IBodyAuthentication> BeginAsync(HttpRequest request, string? signingName, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IBodyAuthentication>(this);

        public void Append(ReadOnlySpan<byte> data)
        {
        }

        public string Complete() => accessKeyId;

        public void Dispose()
        {
        }
    }
}
