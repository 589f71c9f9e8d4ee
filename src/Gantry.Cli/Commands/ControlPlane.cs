using System.Net;
using System.Text.RegularExpressions;
using Gantry.Api;
using Gantry.Api.Ecr;
using Gantry.Api.Front;
using Gantry.Api.Logs;
using Gantry.Api.Nodes;
using Gantry.Auth.Keys;
using Gantry.Auth.SigV4;
using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Logs;
using Gantry.ControlPlane.Nodes;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.Supervision;
using Gantry.Domain.Json;
using Gantry.Iam;
using Gantry.Logs;
using Gantry.Logs.Postgres;
using Gantry.Logs.Sqlite;
using Gantry.Registry.Content;
using Gantry.Registry.Lifecycle;
using Gantry.Store;
using Gantry.Store.Postgres;
using Gantry.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>A running control plane: state store, access keys and the API host, started from settings.</summary>
internal sealed class ControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IStateStore _store;
    private readonly ILogStore _logStore;

    private ControlPlane(WebApplication app, IStateStore store, ILogStore logStore, AccessKey rootKey, Uri endpoint, Uri agentEndpoint, string? credentialsFile)
    {
        _logStore = logStore;
        AgentEndpoint = agentEndpoint;
        _app = app;
        _store = store;
        RootKey = rootKey;
        Endpoint = endpoint;
        CredentialsFile = credentialsFile;
    }

    /// <summary>Registry garbage collection: how often (sooner when uploads expire sooner), how old unreferenced content must be.</summary>
    public static readonly TimeSpan GcInterval = TimeSpan.FromHours(1), GcGrace = TimeSpan.FromHours(1);

    public AccessKey RootKey { get; }

    /// <summary>Join tokens and node identities (the local agent of `gantry dev` joins through it in-process).</summary>
    public NodeDirectory Nodes => _app.Services.GetRequiredService<NodeDirectory>();
    public Uri Endpoint { get; }

    /// <summary>Where agents dial in (gRPC over HTTP/2).</summary>
    public Uri AgentEndpoint { get; }

    /// <summary>The Cloud Map DNS server (null: none asked for, or its address was taken); disposed with the control plane.</summary>
    public Gantry.Dns.DnsServer? Dns { get; init; }

    /// <summary>The registry's unfinished uploads at start-up (what a killed push left) and when they expire.</summary>
    public required string Uploads { get; init; }

    /// <summary>An AWS-format credentials file for the root key, readable only by its owner; null unless --write-root-credentials.</summary>
    public string? CredentialsFile { get; }

    /// <summary>Starts, or prints why it cannot (e.g. the address is taken) and returns null.</summary>
    public static async Task<ControlPlane?> StartOrReportAsync(ControlPlaneSettings settings, CancellationToken ct)
    {
        try
        {
            return await StartAsync(settings, ct).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var (address, option) = BusyAddress(settings, e);
            await Console.Error.WriteLineAsync($"gantry: cannot listen on {address}: the address is already in use (another gantry?). Use {option} to pick another.").ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is DataDirectoryException or AccountMismatchException)
        {
            await Console.Error.WriteLineAsync($"gantry: {e.Message}").ConfigureAwait(false);
            return null;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"gantry: cannot use the PostgreSQL state store (--store): {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Which of the two listeners could not bind: Kestrel names the address in its message ("Failed to bind to
    /// address http://127.0.0.1:4567: address already in use."); the agent port is API port + 1 by default, so
    /// blaming the API port would send the user after the wrong process.
    /// </summary>
    internal static (IPEndPoint Address, string Option) BusyAddress(ControlPlaneSettings settings, IOException failure) =>
        Regex.IsMatch(failure.Message, $@"//{Regex.Escape(settings.AgentListen.ToString())}(?!\d)")
            ? (settings.AgentListen, "--agent-listen")
            : (settings.Listen, "--listen");

    public static async Task<ControlPlane> StartAsync(ControlPlaneSettings settings, CancellationToken ct)
    {
        var data = DataDirectory.Open(settings.DataDirectory);
        var time = TimeProvider.System;
        IStateStore store = settings.Store is { } postgres
            ? await PostgresStateStore.OpenAsync(postgres, ct, time).ConfigureAwait(false)
            : await SqliteStateStore.OpenAsync(data.StateDatabase, ct).ConfigureAwait(false);
        ILogStore? logStore = null;
        try
        {
            await AccountBinding.BindAsync(store, settings.Account.AccountId, settings.Account.Region, ct).ConfigureAwait(false);
            logStore = settings.Store is { } logs
                ? await PostgresLogStore.OpenAsync(logs, ct).ConfigureAwait(false)
                : await SqliteLogStore.OpenAsync(data.LogDatabase, ct).ConfigureAwait(false);
            var masterKey = MasterKey.LoadOrCreate(data.MasterKey);
            var keys = new AccessKeyStore(store, masterKey, time);
            var root = await keys.EnsureRootKeyAsync(ct).ConfigureAwait(false);
            var usage = new AccessKeyUsage(store, time);
            var iam = new IamDirectory(new Documents(store, AwsJson.Options), settings.Account, keys, usage, time);
            var registry = RegistryParts.Open(settings.Blobs ?? data.Registry, store, keys, masterKey, time);
            var authenticator = new SigV4Authenticator(registry.Verifier(settings.Account.Region, time),
                (key, service) => usage.Note(key, service ?? "", settings.Account.Region));
            var expiry = settings.UploadExpiry;
            var options = new ApiHostOptions(settings.Listen, settings.Account, settings.AgentListen, settings.NodeLostAfter)
            {
                RegistryGc = new GcSchedule(expiry < GcInterval ? expiry : GcInterval, GcGrace, expiry),
                LoadBalancerAddresses = settings.LoadBalancerAddresses,
                DefaultVpcCidr = settings.DefaultVpcCidr,
                ReplicaId = data.ReplicaId(),
                SharedStore = settings.Store is not null,
                StoppedTaskRetention = settings.StoppedTaskRetention,
                ChangeFeed = settings.ChangeFeed,
            };
            var app = ApiHost.Build(options, store, logStore, authenticator, registry, iam, AwsJson.Options, time,
                logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                    .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)); // start failures: StartOrReportAsync
            await app.StartAsync(ct).ConfigureAwait(false);
            var endpoint = ApiHost.BoundAddress(app);
            var credentialsFile = WriteRootCredentials(data, settings, root, endpoint);
            StartLoops(app);
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();
            app.Services.GetRequiredService<LoopSupervisor>().Start("load balancers",
                ct => LoadBalancerDataPlane.Create(store, masterKey, settings, loggers, time).RunAsync(ct));
            app.Services.GetRequiredService<LoopSupervisor>().Start("access keys' last use", ct => usage.RunAsync(loggers.CreateLogger<AccessKeyUsage>(), ct));
            var dns = await DiscoveryDns.StartAsync(app, store, settings, loggers, time, ct).ConfigureAwait(false);
            return new ControlPlane(app, store, logStore, root, endpoint, ApiHost.BoundAgentAddress(app), credentialsFile)
            {
                Uploads = UploadsBanner.Describe(registry.Uploads.Pending(), expiry),
                Dns = dns,
            };
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            if (logStore is not null)
            {
                await logStore.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>The background loops, under the supervisor that restarts a failed one and stops them with the application.</summary>
    private static void StartLoops(WebApplication app)
    {
        var services = app.Services;
        var loops = services.GetRequiredService<LoopSupervisor>();
        loops.Start("agent heartbeats", ct => services.GetRequiredService<AgentControlService>().MonitorHeartbeatsAsync(ct));
        loops.Start("controllers (while leading)", ct => ApiHost.RunControllersAsync(services, ct));
        ApiHost.StartReplicaLoops(app);
    }

    /// <summary>
    /// Writes the root key in clear as an AWS CLI profile into the data directory when asked to, and otherwise removes
    /// one an earlier start wrote: the secret is sealed in the state store, and a clear copy is only a convenience.
    /// </summary>
    private static string? WriteRootCredentials(DataDirectory data, ControlPlaneSettings settings, AccessKey root, Uri endpoint)
    {
        if (!settings.WriteRootCredentials)
        {
            File.Delete(data.RootCredentials);
            File.Delete(data.RootConfig);
            return null;
        }
        new Auth.Profiles.AwsCliProfileWriter(data.RootCredentials, data.RootConfig)
            .Write("default", root.AccessKeyId, root.SecretAccessKey, settings.Account.Region, endpoint);
        return data.RootCredentials;
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (Dns is not null)
        {
            await Dns.DisposeAsync().ConfigureAwait(false);
        }
        await _store.DisposeAsync().ConfigureAwait(false);
        await _logStore.DisposeAsync().ConfigureAwait(false);
    }
}
