namespace Gantry.Api.Tests.ServiceDiscovery;

/// <summary>
/// Services, instances and DiscoverInstances through the AWS CLI: DNS records, attributes, filters and health (this CLI's model
/// predates InstancesRevision: <see cref="DiscoveryRegistryTests"/> covers revisions).
/// </summary>
public sealed class InstanceApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly CloudMapCli _sd = new(host);

    public void Dispose() => _sd.Dispose();

    [Fact]
    public async Task A_service_with_A_and_SRV_records_registers_lists_and_deregisters_instances()
    {
        var ns = await _sd.PrivateNamespaceAsync("apps.internal");
        var created = (await _sd.OkAsync("create-service", "--name", "web", "--namespace-id", ns,
            "--dns-config", "DnsRecords=[{Type=A,TTL=10},{Type=SRV,TTL=20}]")).GetProperty("Service");
        var service = created.GetProperty("Id").GetString()!;
        Assert.Matches("^srv-[a-z0-9]{16}$", service);
        Assert.Equal(("DNS_HTTP", "MULTIVALUE"), (created.GetProperty("Type").GetString(), created.GetProperty("DnsConfig").GetProperty("RoutingPolicy").GetString()));
        Assert.Equal(1, (await _sd.OkAsync("get-namespace", "--id", ns)).GetProperty("Namespace").GetProperty("ServiceCount").GetInt32());

        Assert.Contains("AWS_INSTANCE_PORT", await _sd.FailsAsync("InvalidInput", "register-instance", "--service-id", service, "--instance-id", "t1",
            "--attributes", "AWS_INSTANCE_IPV4=10.0.0.1"), StringComparison.Ordinal);
        Assert.Contains("AWS_INSTANCE_IPV4", await _sd.FailsAsync("InvalidInput", "register-instance", "--service-id", service, "--instance-id", "t1",
            "--attributes", "AWS_INSTANCE_IPV4=10.0.0,AWS_INSTANCE_PORT=80"), StringComparison.Ordinal);
        var registered = await _sd.RegisterAsync(service, "t1", "AWS_INSTANCE_IPV4=10.0.0.1,AWS_INSTANCE_PORT=80,version=v1");
        var operation = (await _sd.OkAsync("get-operation", "--operation-id", registered.GetProperty("OperationId").GetString()!)).GetProperty("Operation");
        Assert.Equal(("REGISTER_INSTANCE", "SUCCESS", service, "t1"), (operation.GetProperty("Type").GetString(), operation.GetProperty("Status").GetString(),
            operation.GetProperty("Targets").GetProperty("SERVICE").GetString(), operation.GetProperty("Targets").GetProperty("INSTANCE").GetString()));
        await _sd.RegisterAsync(service, "t2", "AWS_INSTANCE_IPV4=10.0.0.2,AWS_INSTANCE_PORT=80,version=v2");

        var instance = (await _sd.OkAsync("get-instance", "--service-id", service, "--instance-id", "t1")).GetProperty("Instance");
        Assert.Equal("10.0.0.1", instance.GetProperty("Attributes").GetProperty("AWS_INSTANCE_IPV4").GetString());
        var listed = (await _sd.OkAsync("list-instances", "--service-id", service)).GetProperty("Instances").EnumerateArray().Select(i => i.GetProperty("Id").GetString()!);
        Assert.Equal(["t1", "t2"], listed);
        Assert.Equal(2, (await _sd.OkAsync("get-service", "--id", service)).GetProperty("Service").GetProperty("InstanceCount").GetInt32());

        Assert.Contains("instance", await _sd.FailsAsync("ResourceInUse", "delete-service", "--id", service), StringComparison.Ordinal);
        Assert.Contains("service", await _sd.FailsAsync("ResourceInUse", "delete-namespace", "--id", ns), StringComparison.Ordinal);

        await _sd.OkAsync("deregister-instance", "--service-id", service, "--instance-id", "t1");
        await _sd.OkAsync("deregister-instance", "--service-id", service, "--instance-id", "t2");
        Assert.Equal("Instance not found: t1", await _sd.FailsAsync("InstanceNotFound", "get-instance", "--service-id", service, "--instance-id", "t1"));
        await _sd.FailsAsync("InstanceNotFound", "deregister-instance", "--service-id", service, "--instance-id", "t1");
        await _sd.OkAsync("delete-service", "--id", service);
        Assert.Equal("Service not found", await _sd.FailsAsync("ServiceNotFound", "get-service", "--id", service));
        await _sd.OkAsync("delete-namespace", "--id", ns);
    }

    [Fact]
    public async Task Discovery_filters_by_query_then_optional_parameters_and_max_results()
    {
        var ns = await _sd.HttpNamespaceAsync("discovery-http");
        var service = await _sd.ServiceAsync(ns, "api");
        await _sd.RegisterAsync(service, "a", "zone=a,version=v1");
        await _sd.RegisterAsync(service, "b", "zone=b,version=v1");
        await _sd.RegisterAsync(service, "c", "zone=b,version=v2");

        Assert.Equal(["a", "b", "c"], await _sd.DiscoverAsync("discovery-http", "api"));
        Assert.Equal(["b", "c"], await _sd.DiscoverAsync("discovery-http", "api", "--query-parameters", "zone=b"));
        Assert.Equal(["c"], await _sd.DiscoverAsync("discovery-http", "api", "--query-parameters", "zone=b", "--optional-parameters", "version=v2"));
        Assert.Equal(["b", "c"], await _sd.DiscoverAsync("discovery-http", "api", "--query-parameters", "zone=b", "--optional-parameters", "version=v9"));
        Assert.Empty(await _sd.DiscoverAsync("discovery-http", "api", "--query-parameters", "zone=b,version=v1,absent=x"));
        Assert.Equal(["a"], await _sd.DiscoverAsync("discovery-http", "api", "--max-results", "1"));
        var discovered = await _sd.OkAsync("discover-instances", "--namespace-name", "discovery-http", "--service-name", "api");
        Assert.Equal("UNKNOWN", discovered.GetProperty("Instances")[0].GetProperty("HealthStatus").GetString());

        Assert.Equal("Namespace not found", await _sd.FailsAsync("NamespaceNotFound", "discover-instances", "--namespace-name", "nowhere", "--service-name", "api"));
        Assert.Equal("Service not found", await _sd.FailsAsync("ServiceNotFound", "discover-instances", "--namespace-name", "discovery-http", "--service-name", "none"));
    }

    [Fact]
    public async Task Custom_health_starts_from_the_init_status_filters_discovery_and_changes_at_once()
    {
        var ns = await _sd.PrivateNamespaceAsync("health.internal");
        var service = await _sd.ServiceAsync(ns, "db", "--dns-config", "DnsRecords=[{Type=A,TTL=5}]", "--health-check-custom-config", "FailureThreshold=1");
        await _sd.RegisterAsync(service, "up", "AWS_INSTANCE_IPV4=10.1.0.1");
        await _sd.RegisterAsync(service, "down", "AWS_INSTANCE_IPV4=10.1.0.2,AWS_INIT_HEALTH_STATUS=UNHEALTHY");

        Assert.Equal(["up"], await _sd.DiscoverAsync("health.internal", "db"));
        Assert.Equal(["down"], await _sd.DiscoverAsync("health.internal", "db", "--health-status", "UNHEALTHY"));
        Assert.Equal(["down", "up"], await _sd.DiscoverAsync("health.internal", "db", "--health-status", "ALL"));
        var status = (await _sd.OkAsync("get-instances-health-status", "--service-id", service)).GetProperty("Status");
        Assert.Equal(("HEALTHY", "UNHEALTHY"), (status.GetProperty("up").GetString(), status.GetProperty("down").GetString()));

        await _sd.OkAsync("update-instance-custom-health-status", "--service-id", service, "--instance-id", "up", "--status", "UNHEALTHY");
        Assert.Empty(await _sd.DiscoverAsync("health.internal", "db"));
        Assert.Equal(["down", "up"], await _sd.DiscoverAsync("health.internal", "db", "--health-status", "HEALTHY_OR_ELSE_ALL"));
        await _sd.OkAsync("update-instance-custom-health-status", "--service-id", service, "--instance-id", "down", "--status", "HEALTHY");
        Assert.Equal(["down"], await _sd.DiscoverAsync("health.internal", "db", "--health-status", "HEALTHY_OR_ELSE_ALL"));
        await _sd.FailsAsync("InstanceNotFound", "update-instance-custom-health-status", "--service-id", service, "--instance-id", "gone", "--status", "HEALTHY");

        var plain = await _sd.ServiceAsync(ns, "cache", "--dns-config", "DnsRecords=[{Type=A,TTL=5}]");
        await _sd.RegisterAsync(plain, "c1", "AWS_INSTANCE_IPV4=10.1.0.3");
        await _sd.FailsAsync("CustomHealthNotFound", "update-instance-custom-health-status", "--service-id", plain, "--instance-id", "c1", "--status", "HEALTHY");
    }

    [Fact]
    public async Task Services_are_validated_as_Cloud_Map_validates_them()
    {
        var dns = await _sd.PrivateNamespaceAsync("checks.internal");
        var http = await _sd.HttpNamespaceAsync("checks-http");
        Assert.Contains("WEIGHTED", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "alias", "--namespace-id", dns,
            "--dns-config", "RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=CNAME,TTL=60}]"), StringComparison.Ordinal);
        await _sd.ServiceAsync(dns, "alias", "--dns-config", "RoutingPolicy=WEIGHTED,DnsRecords=[{Type=CNAME,TTL=60}]");
        Assert.Contains("HealthCheckConfig is not supported for private DNS namespaces", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "checked",
            "--namespace-id", dns, "--dns-config", "DnsRecords=[{Type=A,TTL=60}]", "--health-check-config", "Type=HTTP,ResourcePath=/"), StringComparison.Ordinal);
        Assert.Contains("DnsConfig", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "dns-in-http", "--namespace-id", http,
            "--dns-config", "DnsRecords=[{Type=A,TTL=60}]"), StringComparison.Ordinal);
        Assert.Equal("DnsConfig is required.", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "no-dns", "--namespace-id", dns));
        Assert.Contains("Type HTTP", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "api-only", "--namespace-id", dns, "--type", "HTTP",
            "--dns-config", "RoutingPolicy=WEIGHTED,DnsRecords=[]"), StringComparison.Ordinal);
        Assert.Equal("HTTP", (await _sd.OkAsync("create-service", "--name", "api-only", "--namespace-id", dns, "--type", "HTTP"))
            .GetProperty("Service").GetProperty("Type").GetString());
        Assert.Contains("each record type", await _sd.FailsAsync("InvalidInput", "create-service", "--name", "twice", "--namespace-id", dns,
            "--dns-config", "DnsRecords=[{Type=A,TTL=60},{Type=A,TTL=30}]"), StringComparison.Ordinal);
        var web = await _sd.ServiceAsync(dns, "web", "--dns-config", "DnsRecords=[{Type=A,TTL=60}]");
        Assert.Contains(web, await _sd.FailsAsync("ServiceAlreadyExists", "create-service", "--name", "WEB", "--namespace-id", dns,
            "--dns-config", "DnsRecords=[{Type=A,TTL=60}]"), StringComparison.Ordinal);
        await _sd.FailsAsync("NamespaceNotFound", "create-service", "--name", "orphan", "--namespace-id", "ns-0000000000000000");
        await _sd.FailsAsync("ServiceNotFound", "register-instance", "--service-id", "srv-0000000000000000", "--instance-id", "x", "--attributes", "a=b");

        var updated = await _sd.OkAsync("update-service", "--id", web, "--service", "Description=front,DnsConfig={DnsRecords=[{Type=A,TTL=5},{Type=AAAA,TTL=5}]}");
        Assert.NotNull(updated.GetProperty("OperationId").GetString());
        var service = (await _sd.OkAsync("get-service", "--id", web)).GetProperty("Service");
        Assert.Equal(("front", 2), (service.GetProperty("Description").GetString(), service.GetProperty("DnsConfig").GetProperty("DnsRecords").GetArrayLength()));
        var services = (await _sd.OkAsync("list-services", "--filters", $"Name=NAMESPACE_ID,Values={dns},Condition=EQ")).GetProperty("Services")
            .EnumerateArray().Select(s => s.GetProperty("Name").GetString()!).Order().ToArray();
        Assert.Equal(["alias", "api-only", "web"], services);
    }
}
