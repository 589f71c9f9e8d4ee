using System.Net;
using System.Text.Json;
using Gantry.Api.Authorization;
using Gantry.Api.Ec2;
using Gantry.Api.Ecr;
using Gantry.Api.Ecs;
using Gantry.Api.Elbv2;
using Gantry.Api.Front;
using Gantry.Api.Iam;
using Gantry.Api.Logs;
using Gantry.Api.Nodes;
using Gantry.Api.Replicas;
using Gantry.Api.SecretsManager;
using Gantry.Api.ServiceDiscovery;
using Gantry.Api.Ssm;
using Gantry.Api.Sts;
using Gantry.Api.Usage;
using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.Leadership;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Logs;
using Gantry.ControlPlane.Networks;
using Gantry.ControlPlane.Nodes;
using Gantry.ControlPlane.Replicas;
using Gantry.ControlPlane.Retention;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.Supervision;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.ControlPlane.Usage;
using Gantry.Domain.Arns;
using Gantry.Iam;
using Gantry.Iam.Policies;
using Gantry.Logs;
using Gantry.Registry.Content;
using Gantry.Registry.Distribution;
using Gantry.Registry.Lifecycle;
using Gantry.Secrets;
using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Api;

/// <summary>Settings of the control plane's HTTP front.</summary>
/// <param name="Listen">host:port to bind, e.g. 127.0.0.1:4566 (port 0 picks a free one).</param>
/// <param name="AgentListen">host:port of the agents' HTTP/2 (gRPC) listener, e.g. 127.0.0.1:4567.</param>
/// <param name="NodeLostAfter">How long a node may be disconnected before services replace its tasks elsewhere.</param>
public sealed record ApiHostOptions(IPEndPoint Listen, AwsAccount Account, IPEndPoint AgentListen, TimeSpan NodeLostAfter = default)
{
    public TimeSpan NodeLostAfter { get; init; } = NodeLostAfter == default ? TimeSpan.FromSeconds(30) : NodeLostAfter;

    /// <summary>The addresses load balancers' listeners bind, one per load balancer (default 127.0.100.0/24).</summary>
    public IPNetwork LoadBalancerAddresses { get; init; } = LoadBalancerAddressPool.Default;

    /// <summary>The default VPC's CIDR, used when it is first made (EC2's 172.31.0.0/16 by default).</summary>
    public IPNetwork DefaultVpcCidr { get; init; } = NetworkDirectory.Ec2DefaultVpcCidr;

    /// <summary>This replica's id in the controllers' leader election (stable across restarts of the same replica).</summary>
    public string ReplicaId { get; init; } = "local";

    /// <summary>Whether other replicas may open the state store (PostgreSQL): then the lease is renewed and may pass on.</summary>
    public bool SharedStore { get; init; }

    /// <summary>How long a stopped task stays describable before the leader purges it (ECS: about an hour).</summary>
    public TimeSpan StoppedTaskRetention { get; init; } = StoppedTaskPurger.DefaultRetention;

    /// <summary>What the store's change feed keeps before the leader compacts it.</summary>
    public ChangeFeedRetention ChangeFeed { get; init; } = ChangeFeedRetention.Default;
    /// <summary>The registry's garbage collection, run by the leading replica.</summary>
    public GcSchedule RegistryGc { get; init; } = GcSchedule.Default;
}

/// <summary>Builds the control plane web application: Kestrel, the AWS JSON front door, and the operations.</summary>
public static class ApiHost
{
    /// <summary>Runs the leader election and, while this replica leads, the controllers (service controller, drained
    /// targets, dead replicas' agent links, stopped-task purge, change feed compaction, the registry's garbage collection:
    /// one collector for every replica sharing the blob directory, repositories' lifecycle policies, log retention, secrets
    /// past their recovery window),
    /// until <paramref name="ct"/> is cancelled.</summary>
    public static Task RunControllersAsync(IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var controller = services.GetRequiredService<ServiceController>();
        var drained = services.GetRequiredService<DrainedTargetSweeper>();
        var purger = services.GetRequiredService<StoppedTaskPurger>();
        var compactor = services.GetRequiredService<ChangeFeedCompactor>();
        var collector = services.GetRequiredService<GarbageCollector>();
        var gc = services.GetRequiredService<GcSchedule>();
        var orphans = services.GetRequiredService<OrphanedLinkSweeper>();
        var lifecycle = services.GetRequiredService<LifecycleRunner>();
        var retention = services.GetRequiredService<RetentionSweeper>();
        var retentionLogger = services.GetRequiredService<ILogger<RetentionSweeper>>();
        var secrets = services.GetRequiredService<SecretDeletionSweeper>();
        return services.GetRequiredService<LeaderElection>().RunAsync(
            lead => Task.WhenAll(controller.RunAsync(lead), drained.RunAsync(DrainedTargetSweeper.DefaultInterval, lead), orphans.RunAsync(lead),
                purger.RunAsync(StoppedTaskPurger.DefaultInterval, lead), compactor.RunAsync(ChangeFeedCompactor.DefaultInterval, lead),
                collector.RunAsync(gc, lead), lifecycle.RunAsync(LifecycleRunner.DefaultInterval, lead),
                retention.RunAsync(RetentionSweeper.DefaultInterval, retentionLogger, lead), secrets.RunAsync(SecretDeletionSweeper.DefaultInterval, lead)), ct);
    }

    /// <summary>Every replica's own loops for serving agents with others: its heartbeat (where it answers) and its
    /// follower of the store's task changes.</summary>
    public static void StartReplicaLoops(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var loops = services.GetRequiredService<LoopSupervisor>();
        loops.Start("agent task feed", ct => services.GetRequiredService<AgentTaskFeed>().RunAsync(ct));
        loops.Start("security group firewalls", ct => services.GetRequiredService<FirewallFeed>().RunAsync(ct));
        loops.Start("task routes", ct => services.GetRequiredService<RouteFeed>().RunAsync(ct));
        // The default VPC, its subnets and group exist from the first start on (EC2 requests make them too, idempotently).
        loops.Start("default network", async ct => await services.GetRequiredService<NetworkDirectory>().EnsureDefaultNetworkAsync(ct).ConfigureAwait(false));
        loops.Start("replica heartbeat", ct => services.GetRequiredService<ReplicaHeartbeat>().RunAsync(BoundAddress(app), BoundAgentAddress(app), ct));
    }

    public static WebApplication Build(ApiHostOptions options, IStateStore store, ILogStore logStore, IRequestAuthenticator authenticator, RegistryParts registry,
        IamDirectory iam, JsonSerializerOptions jsonOptions, TimeProvider time, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var listeners = new BoundListeners();
        builder.Services.AddSingleton(listeners);
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/1.1 for the AWS APIs and /v2/; a second, HTTP/2-only listener for the agent stream (cleartext
            // HTTP/2 needs prior knowledge, which cannot share a port with HTTP/1.1).
            kestrel.Listen(options.Listen, listen => listeners.Add(listen));
            kestrel.Listen(options.AgentListen, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listeners.Add(listen);
            });
            // Only the agent listener speaks HTTP/2: a dead agent's connection is noticed by pings, not left open forever.
            kestrel.Limits.Http2.KeepAlivePingDelay = AgentControlService.KeepAlive;
            kestrel.Limits.Http2.KeepAlivePingTimeout = AgentControlService.KeepAlive;
            kestrel.Limits.MaxRequestBodySize = null; // the JSON front door bounds its bodies; blob uploads stream to disk
            kestrel.AddServerHeader = false;
        });

        var documents = new Documents(store, jsonOptions);
        var arns = new EcsArns(options.Account);
        var clusters = new ClusterStateCache(documents);
        var instances = new ContainerInstanceRegistry(documents, arns, clusters, time);
        var sessions = new AgentSessions();
        var dispatcher = new TaskDispatcher(sessions);
        var feedPosition = new FeedPosition();
        var definitions = new TaskDefinitionLookup(documents, arns);
        var capacityProviders = new CapacityProviderDirectory(documents);
        var launcher = new TaskLauncher(documents, arns, clusters, new LaunchTargets(clusters, capacityProviders), dispatcher, time, new Random());
        var stopper = new TaskStopper(documents, dispatcher, time);
        var logsArns = new LogsArns(options.Account);
        var sweeper = new RetentionSweeper(logStore, time);
        var nodes = new NodeDirectory(documents, time);
        var reclaimer = new SpotReclaimer(documents, nodes, stopper, time);
        var elbArns = new ElbArns(options.Account);
        var elb = new ElbResources(documents, elbArns);
        var targetRegistry = new TargetRegistry(documents, elbArns, time);
        var targetGroupUsage = new TargetGroupUsage(documents);
        var elbActions = new ElbActions(targetRegistry, targetGroupUsage);
        var networks = new NetworkDirectory(documents, options.Account, options.DefaultVpcCidr);
        var networkRules = new AwsvpcNetworkRules(networks);
        var policies = new PolicyCache();
        var callers = new Callers(registry.Keys, registry.Sessions, iam, policies, options.Account, time);
        var sealer = new Sealer(registry.MasterKey);
        var secretVault = new SecretVault(documents, sealer, new SecretArns(options.Account), time);
        var parameterStore = new ParameterStore(documents, sealer, new ParameterNames(options.Account), time);
        var operations = new AwsOperationTable.Builder()
            .MapEcs(
                new ClusterOperations(documents, arns, capacityProviders, clusters),
                new TaskDefinitionOperations(documents, arns, time),
                new TaskDefinitionListing(documents),
                new TagOperations(documents, arns),
                new ContainerInstanceOperations(documents, instances, arns),
                new AttributeOperations(documents, instances, arns),
                new TaskOperations(documents, arns, definitions, launcher, stopper, networkRules),
                new ServiceOperations(documents, arns, definitions, new ServiceLoadBalancers(targetRegistry, targetGroupUsage),
                    new ServiceRegistryRules(new DiscoveryRegistry(documents, new DiscoveryArns(options.Account), time), documents), networkRules, time),
                new CapacityProviderOperations(documents, arns, capacityProviders, time))
            .MapEcr(registry, options.Account, time)
            .MapLogs(new LogGroupOperations(logStore, logsArns, sweeper, time), new LogStreamOperations(logStore, logsArns, time),
                new LogEventOperations(logStore, logsArns, time))
            .MapNodes(new NodeOperations(nodes, sessions, reclaimer), time)
            .MapUsage(new UsageOperations(new UsageLedger(documents), time))
            .MapClusterStatus(new ClusterStatusOperations(new ControlPlaneStatus(documents, options.ReplicaId, feedPosition, time)))
            .MapElbv2(new LoadBalancerOperations(elb, new LoadBalancerAddressPool(options.LoadBalancerAddresses), options.Account, time),
                new ListenerOperations(elb, elbActions, new ServerCertificates(documents)), new RuleOperations(elb, elbActions),
                new ElbTagOperations(elb, targetRegistry))
            .MapElbv2TargetGroups(documents, elbArns, targetRegistry, targetGroupUsage)
            .MapServiceDiscovery(documents, networks, time)
            .MapIam(new ServerCertificateOperations(documents, elbArns, registry.MasterKey, time), iam)
            .MapSts(callers, new StsSessions(callers, registry.Sessions, iam, policies, options.Account, time))
            .MapSecretsManager(secretVault)
            .MapSsm(parameterStore, options.Account)
            .MapEc2(networks)
            .Build();
        var resourceRules = new ResourceRules.Builder()
            .MapEcsResources(documents, arns)
            .MapEcrResources(registry.Catalog, options.Account)
            .MapLogsResources(options.Account)
            .ExemptSts()
            .Build();
        var authorizer = new RequestAuthorizer(callers, resourceRules, policies, options.Account, time);
        builder.Services.AddSingleton(operations);
        builder.Services.AddSingleton(iam);
        builder.Services.AddSingleton(authenticator);
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<StoreUnavailableInterceptor>());
        builder.Services.AddSingleton(instances);
        builder.Services.AddSingleton(clusters);
        builder.Services.AddSingleton(sessions);
        builder.Services.AddSingleton(sp => new LeaderElection(documents, options.ReplicaId, options.SharedStore, time, sp.GetRequiredService<ILogger<LeaderElection>>()));
        builder.Services.AddSingleton(sp => ControllerDocuments.Of(sp, store, jsonOptions));
        builder.Services.AddSingleton(sp =>
        {
            // The controllers decide through the fenced store: their commits hold only while this replica leads.
            var fenced = sp.GetRequiredService<ControllerDocuments>().Documents;
            var fencedLauncher = new TaskLauncher(fenced, arns, clusters, new LaunchTargets(clusters, new CapacityProviderDirectory(fenced)),
                dispatcher, time, new Random());
            return new ServiceController(fenced, fencedLauncher, new TaskStopper(fenced, dispatcher, time), new TaskDefinitionLookup(fenced, arns), clusters,
                new ServiceTargets(fenced, new TargetRegistry(fenced, elbArns, time)), time, sp.GetRequiredService<ILogger<ServiceController>>())
            {
                DisconnectGrace = options.NodeLostAfter,
                Registrations = new ServiceRegistrations(fenced, new DiscoveryRegistry(fenced, new DiscoveryArns(options.Account), time), options.Account.Region),
            };
        });
        builder.Services.AddSingleton(sp => new AgentReconciler(documents, clusters, new TaskStateUpdater(documents, time), dispatcher, sp.GetRequiredService<ILogger<AgentReconciler>>()));
        builder.Services.AddSingleton(nodes);
        builder.Services.AddSingleton(networks);
        builder.Services.AddSingleton(new AgentLinks(documents, options.ReplicaId, time));
        builder.Services.AddSingleton(sp =>
        {
            var feed = new FirewallFeed(store, jsonOptions, sessions, time, sp.GetRequiredService<ILogger<FirewallFeed>>());
            dispatcher.Firewalls = feed;
            return feed;
        });
        builder.Services.AddSingleton(sp => new RouteFeed(store, jsonOptions, sessions, time, sp.GetRequiredService<ILogger<RouteFeed>>()));
        builder.Services.AddSingleton(sp => new AgentTaskFeed(store, jsonOptions, dispatcher, feedPosition, time, sp.GetRequiredService<ILogger<AgentTaskFeed>>()));
        builder.Services.AddSingleton(sp => new ReplicaHeartbeat(documents, options.ReplicaId, options.SharedStore, time, sp.GetRequiredService<ILogger<ReplicaHeartbeat>>()));
        builder.Services.AddSingleton(sp => new OrphanedLinkSweeper(sp.GetRequiredService<ControllerDocuments>().Documents,
            new AgentLinks(sp.GetRequiredService<ControllerDocuments>().Documents, options.ReplicaId, time), time, sp.GetRequiredService<ILogger<OrphanedLinkSweeper>>()));
        builder.Services.AddSingleton(reclaimer);
        builder.Services.AddSingleton(new SecretResolver(secretVault, parameterStore));
        builder.Services.AddSingleton(sp => new SecretDeletionSweeper(
            new SecretVault(sp.GetRequiredService<ControllerDocuments>().Documents, sealer, new SecretArns(options.Account), time), time,
            sp.GetRequiredService<ILogger<SecretDeletionSweeper>>()));
        builder.Services.AddSingleton(sp => new DrainedTargetSweeper(sp.GetRequiredService<ControllerDocuments>().Documents, time, sp.GetRequiredService<ILogger<DrainedTargetSweeper>>()));
        builder.Services.AddSingleton(sp => new StoppedTaskPurger(sp.GetRequiredService<ControllerDocuments>().Documents, time,
            sp.GetRequiredService<ILogger<StoppedTaskPurger>>())
        { Retention = options.StoppedTaskRetention });
        builder.Services.AddSingleton(sp => new ChangeFeedCompactor(store, time, sp.GetRequiredService<ILogger<ChangeFeedCompactor>>())
        {
            KeepFor = options.ChangeFeed.KeepFor,
            KeepRevisions = options.ChangeFeed.KeepRevisions,
        });
        builder.Services.AddSingleton(new AgentRegistryCredentials(registry.Tokens, registry.Keys));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(new LogShipping(logStore, new LogStreamAccess(documents), time));
        builder.Services.AddSingleton(sweeper);
        builder.Services.AddSingleton(new InstanceAddresses(documents, time));
        builder.Services.AddSingleton<AgentControlService>();
        builder.Services.AddSingleton(registry.Catalog);
        builder.Services.AddSingleton(registry.Uploads);
        builder.Services.AddSingleton<IRegistryAccess>(new RegistryAccess(registry.Tokens, authorizer, options.Account));
        builder.Services.AddSingleton<DistributionEndpoints>();
        builder.Services.AddSingleton(options.RegistryGc);
        builder.Services.AddSingleton(sp => new GarbageCollector(registry.Catalog, registry.Uploads, time, sp.GetRequiredService<ILogger<GarbageCollector>>()));
        builder.Services.AddSingleton(sp => new LifecycleRunner(registry.Catalog, time, sp.GetRequiredService<ILogger<LifecycleRunner>>()));
        builder.Services.AddSingleton(sp => new LoopSupervisor(time, sp.GetRequiredService<ILogger<LoopSupervisor>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LoopSupervisor>());
        builder.Services.AddSingleton(new RequestBodyBudget(AwsJsonLimits.MaxBodyBytesInFlight, AwsJsonLimits.BodyBudgetWait, time));
        builder.Services.AddSingleton(sp => new AwsFrontDoor(operations, authenticator, authorizer, sp.GetRequiredService<RequestBodyBudget>(), jsonOptions, time,
            sp.GetRequiredService<ILogger<AwsFrontDoor>>()));

        var app = builder.Build();
        app.Services.GetRequiredService<AwsFrontDoor>().Map(app);
        app.Services.GetRequiredService<DistributionEndpoints>().Map(app);
        app.MapGrpcService<AgentControlService>();
        return app;
    }

    /// <summary>The address Kestrel actually bound (resolves port 0). Call after StartAsync.</summary>
    public static Uri BoundAddress(WebApplication app) => Bound(app, 0);

    /// <summary>The address of the agents' gRPC listener. Call after StartAsync.</summary>
    public static Uri BoundAgentAddress(WebApplication app) => Bound(app, 1);

    private static Uri Bound(WebApplication app, int index)
    {
        var endpoint = app.Services.GetRequiredService<BoundListeners>()[index].IPEndPoint
            ?? throw new InvalidOperationException("The server exposes no addresses.");
        return new Uri($"http://{endpoint}/");
    }
}

/// <summary>Kestrel's listeners in the order they were configured; their endpoints show the bound ports after start.</summary>
internal sealed class BoundListeners : List<ListenOptions>;
