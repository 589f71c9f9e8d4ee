using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Store;

namespace Gantry.Api.Tests.ServiceDiscovery;

/// <summary>
/// <see cref="DiscoveryRegistry"/> as ECS will call it (idempotent registration, silent deregistration, custom health)
/// and the snapshot a DNS server reads, over the API's store; DiscoverInstancesRevision, which the CLI here lacks, as JSON.
/// </summary>
public sealed class DiscoveryRegistryTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Target = "Route53AutoNaming_v20170314";

    private DiscoveryRegistry Registry => new(new Documents(host.Store, AwsJson.Options), new DiscoveryArns(AwsAccount.Default), TimeProvider.System);

    [Fact]
    public async Task Registering_the_same_attributes_again_writes_nothing_and_the_snapshot_shows_the_zone()
    {
        var ns = await CreateNamespaceAsync("snap.internal");
        var service = await CallAsync("CreateService", $$$"""{"Name":"web","NamespaceId":"{{{ns}}}","DnsConfig":{"DnsRecords":[{"Type":"A","TTL":10}]},"HealthCheckCustomConfig":{}}""");
        var serviceId = service.GetProperty("Service").GetProperty("Id").GetString()!;
        var serviceArn = service.GetProperty("Service").GetProperty("Arn").GetString()!;
        Assert.Equal(serviceId, (await Registry.FindServiceAsync(serviceArn, default))!.Id);

        await Registry.RegisterAsync(serviceId, "task-1", new Dictionary<string, string> { ["AWS_INSTANCE_IPV4"] = "10.2.0.1" }, default);
        var revision = await RevisionAsync("snap.internal", "web");
        var stored = await VersionsAsync(serviceId);
        await Registry.RegisterAsync(serviceId, "task-1", new Dictionary<string, string> { ["AWS_INSTANCE_IPV4"] = "10.2.0.1" }, default);
        Assert.Equal(stored, await VersionsAsync(serviceId));
        await Registry.SetHealthAsync(serviceId, "task-1", healthy: false, default);
        Assert.Equal(revision, await RevisionAsync("snap.internal", "web"));

        var zone = Assert.Single((await Registry.ReadSnapshotAsync(default)).Zones, z => z.Name == "snap.internal");
        Assert.Equal(15, zone.SoaTtl);
        var instance = Assert.Single(Assert.Single(zone.Services).Instances);
        Assert.Equal(("task-1", "UNHEALTHY", "10.2.0.1"), (instance.InstanceId, instance.HealthStatus, instance.Attributes["AWS_INSTANCE_IPV4"]));

        await Registry.DeregisterAsync(serviceId, "task-1", default);
        await Registry.DeregisterAsync(serviceId, "task-1", default); // already gone: no error
        Assert.True(await RevisionAsync("snap.internal", "web") > revision);
        Assert.Empty(Assert.Single((await Registry.ReadSnapshotAsync(default)).Zones, z => z.Name == "snap.internal").Services.Single().Instances);
    }

    private async Task<(long?, long?)> VersionsAsync(string serviceId) =>
        ((await host.Store.GetAsync(DiscoveryKinds.Service, serviceId, default))?.Version,
         (await host.Store.GetAsync(DiscoveryKinds.Instance, DiscoveryKinds.InstanceKey(serviceId, "task-1"), default))?.Version);

    private async Task<string> CreateNamespaceAsync(string name)
    {
        var vpc = new NetworkDirectory(new Documents(host.Store, AwsJson.Options), AwsAccount.Default).DefaultVpcId;
        var operation = (await CallAsync("CreatePrivateDnsNamespace", $$"""{"Name":"{{name}}","Vpc":"{{vpc}}"}""")).GetProperty("OperationId").GetString();
        return (await CallAsync("GetOperation", $$"""{"OperationId":"{{operation}}"}""")).GetProperty("Operation").GetProperty("Targets").GetProperty("NAMESPACE").GetString()!;
    }

    private async Task<long> RevisionAsync(string ns, string service) =>
        (await CallAsync("DiscoverInstancesRevision", $$"""{"NamespaceName":"{{ns}}","ServiceName":"{{service}}"}""")).GetProperty("InstancesRevision").GetInt64();

    private async Task<System.Text.Json.JsonElement> CallAsync(string operation, string json)
    {
        var (status, body) = await host.CallAsync(operation, json, Target);
        Assert.True(status == 200, $"{operation}: {status} {body}");
        return body;
    }
}
