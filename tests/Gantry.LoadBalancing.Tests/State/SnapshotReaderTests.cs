using System.Net;
using Gantry.Auth.Keys;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Iam;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests.State;

public sealed class SnapshotReaderTests
{
    private static readonly MasterKey Key = new(new byte[32]);

    [Fact]
    public async Task Reads_balancers_listeners_rules_by_priority_and_resolves_targets()
    {
        await using var store = await TempStore.OpenAsync();
        var group = ElbFixtures.GroupArn("web");
        var listener = ElbFixtures.Listener("front", "l1", 80, "HTTP", group);
        await store.PutAsync(ElbKinds.LoadBalancer, "front", ElbFixtures.Balancer("front", "127.0.0.7"));
        await store.PutAsync(ElbKinds.Listener, "front/l1", new ListenerRecord(listener, []));
        foreach (var (id, priority) in new[] { ("r1", "20"), ("r2", "3"), ("r3", "100") })
        {
            await store.PutAsync(ElbKinds.Rule, $"front/l1/{id}", new RuleRecord(new Rule { RuleArn = id, Priority = priority }, listener.ListenerArn!, []));
        }
        await store.PutAsync(ElbKinds.Rule, "front/l1/default", new RuleRecord(new Rule { RuleArn = "default", Priority = "default", IsDefault = true }, listener.ListenerArn!, []));
        await store.PutAsync(ElbKinds.TargetGroup, "web", ElbFixtures.Group("web", "ip", [ElbFixtures.Target("10.0.0.5", 8080)]));
        await store.PutAsync(ElbKinds.TargetGroup, "nodes", ElbFixtures.Group("nodes", "instance",
            [ElbFixtures.Target("i-0000000000000000a", 31000), ElbFixtures.Target("i-0000000000000000b", 31001)]));
        await store.PutAsync(ElbKinds.InstanceAddress, "i-0000000000000000a", new InstanceAddressRecord("i-0000000000000000a", "192.168.1.10", ElbFixtures.Registered));

        var snapshot = await new SnapshotReader(store.Documents, Key).ReadAsync(default);

        var balancer = Assert.Single(snapshot.LoadBalancers);
        Assert.Equal(IPAddress.Parse("127.0.0.7"), balancer.Address);
        var view = Assert.Single(balancer.Listeners);
        Assert.Equal(["r2", "r1", "r3"], view.Rules.Select(r => r.RuleArn));
        Assert.Null(view.Certificate);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 8080), Assert.Single(snapshot.TargetGroups[group].Targets).Endpoint);
        var nodes = snapshot.TargetGroups[ElbFixtures.GroupArn("nodes")].Targets;
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.10"), 31000), nodes[0].Endpoint);
        Assert.Null(nodes[1].Endpoint);
        Assert.Equal(store.Documents.Store.CurrentRevision, snapshot.Revision);
    }

    [Fact]
    public async Task Opens_an_HTTPS_listeners_default_certificate()
    {
        await using var store = await TempStore.OpenAsync();
        const string CertificateArn = "arn:aws:iam::123456789012:server-certificate/site";
        var listener = ElbFixtures.Listener("front", "l1", 443, "HTTPS", ElbFixtures.GroupArn("web"), CertificateArn);
        await store.PutAsync(ElbKinds.LoadBalancer, "front", ElbFixtures.Balancer("front", "127.0.0.7"));
        await store.PutAsync(ElbKinds.Listener, "front/l1", new ListenerRecord(listener, []));
        await store.PutAsync(ElbKinds.ServerCertificate, "site", new ServerCertificateRecord(
            new ServerCertificateMetadata { Arn = CertificateArn, ServerCertificateName = "site" },
            "CERT PEM", "CHAIN PEM", Key.Seal("KEY PEM", SnapshotReader.CertificateSealContext + "site")));

        var snapshot = await new SnapshotReader(store.Documents, Key).ReadAsync(default);

        Assert.Equal(new ListenerCertificate(CertificateArn, "CERT PEM", "CHAIN PEM", "KEY PEM"), snapshot.LoadBalancers[0].Listeners[0].Certificate);
    }
}
