using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.ControlPlane.Tests.Supervision;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.ControlPlane.Tests.Services;

/// <summary>The service controller runs beside the other leading loops and is started again only with the lead: a store
/// it cannot reach must not end it.</summary>
public sealed class ServiceControllerOutageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-outage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_controller_tries_again_while_the_store_is_down_and_reconciles_once_it_is_back()
    {
        await using var store = new UnreachableStore(await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None));
        var controller = Controller(store);
        using var stop = new CancellationTokenSource();
        store.Down = true;
        var running = controller.RunAsync(stop.Token);

        await Until.TrueAsync(() => store.Refused >= 2, "the controller tried again after the store refused a round");
        Assert.False(running.IsCompleted, "the controller ended on a store outage");
        store.Down = false;
        var served = store.Served;
        await Until.TrueAsync(() => store.Served > served, "the controller read the services once the store was back");

        await stop.CancelAsync();
        await running;
    }

    private static ServiceController Controller(IStateStore store)
    {
        var documents = new Documents(store, AwsJson.Options);
        var arns = new EcsArns(AwsAccount.Default);
        var time = TimeProvider.System;
        var clusters = new ClusterStateCache(documents);
        var dispatcher = new TaskDispatcher(new AgentSessions());
        var launcher = new TaskLauncher(documents, arns, clusters, new LaunchTargets(clusters, new CapacityProviderDirectory(documents)), dispatcher, time, new Random(1));
        return new ServiceController(documents, launcher, new TaskStopper(documents, dispatcher, time), new TaskDefinitionLookup(documents, arns), clusters,
            new ServiceTargets(documents, new TargetRegistry(documents, new ElbArns(AwsAccount.Default), time)), time, NullLogger<ServiceController>.Instance);
    }
}
