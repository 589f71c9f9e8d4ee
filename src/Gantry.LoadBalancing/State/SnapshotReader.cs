using System.Globalization;
using System.Net;
using Gantry.Auth.Keys;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.LoadBalancing.State;

/// <summary>
/// Reads the load balancers, their listeners and rules, the target groups with their targets resolved to addresses,
/// and the HTTPS listeners' default certificates (private keys unsealed) into one <see cref="LoadBalancingSnapshot"/>.
/// </summary>
public sealed class SnapshotReader(Documents documents, MasterKey masterKey)
{
    /// <summary>The context server certificates' private keys are sealed with, followed by the certificate's name.</summary>
    public const string CertificateSealContext = "server-certificate:";

    /// <summary>Reads the snapshot; its revision is the store's revision before the first read (a later change re-reads).</summary>
    public async Task<LoadBalancingSnapshot> ReadAsync(CancellationToken ct)
    {
        var revision = documents.Store.CurrentRevision;
        var balancers = await documents.ListAllAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, null, ct).ConfigureAwait(false);
        var listeners = await documents.ListAllAsync<ListenerRecord>(ElbKinds.Listener, null, ct).ConfigureAwait(false);
        var rules = await documents.ListAllAsync<RuleRecord>(ElbKinds.Rule, null, ct).ConfigureAwait(false);
        var groups = await documents.ListAllAsync<TargetGroupRecord>(ElbKinds.TargetGroup, null, ct).ConfigureAwait(false);
        var addresses = (await documents.ListAllAsync<InstanceAddressRecord>(ElbKinds.InstanceAddress, null, ct).ConfigureAwait(false))
            .ToDictionary(a => a.Value.InstanceId, a => a.Value, StringComparer.Ordinal);
        var certificates = await ReadCertificatesAsync(listeners, ct).ConfigureAwait(false);

        var rulesByListener = rules.Select(r => r.Value).Where(r => r.Rule.IsDefault != true)
            .ToLookup(r => r.ListenerArn, r => r.Rule, StringComparer.Ordinal);
        var listenersByBalancer = listeners.Select(l => l.Value.Listener).ToLookup(l => l.LoadBalancerArn ?? "", StringComparer.Ordinal);

        var balancerViews = new List<BalancerView>(balancers.Count);
        foreach (var balancer in balancers.Select(b => b.Value))
        {
            var listenerViews = listenersByBalancer[balancer.LoadBalancer.LoadBalancerArn ?? ""]
                .Select(l => new ListenerView(l, SortByPriority(rulesByListener[l.ListenerArn ?? ""]), DefaultCertificateOf(l, certificates)))
                .OrderBy(l => l.Listener.Port)
                .ToList();
            balancerViews.Add(new BalancerView(balancer, IPAddress.Parse(balancer.ListenAddress), listenerViews));
        }

        var groupViews = groups.Select(g => g.Value).ToDictionary(
            g => g.TargetGroup.TargetGroupArn!,
            g => new TargetGroupView(g, g.Targets.Select(t => ViewOf(g, t, addresses)).ToList()),
            StringComparer.Ordinal);
        return new LoadBalancingSnapshot(revision, balancerViews, groupViews);
    }

    private static List<Domain.Elbv2.Rule> SortByPriority(IEnumerable<Domain.Elbv2.Rule> rules) =>
        [.. rules.OrderBy(r => int.TryParse(r.Priority, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : int.MaxValue)];

    private static TargetView ViewOf(TargetGroupRecord group, RegisteredTarget target, Dictionary<string, InstanceAddressRecord> addresses)
    {
        IPEndPoint? endpoint = group.TargetGroup.TargetType == "instance"
            ? addresses.TryGetValue(target.Id, out var address) && IPAddress.TryParse(address.Address, out var ip) ? new IPEndPoint(ip, target.Port) : null
            : IPAddress.TryParse(target.Id, out var targetIp) ? new IPEndPoint(targetIp, target.Port) : null;
        return new TargetView(new TargetKey(target.Id, target.Port), endpoint, target.RegisteredAt, target.DrainingSince);
    }

    private static ListenerCertificate? DefaultCertificateOf(Listener listener, Dictionary<string, ListenerCertificate> certificates) =>
        listener.Protocol == "HTTPS" && listener.Certificates is [{ CertificateArn: { } arn }, ..] && certificates.TryGetValue(arn, out var certificate)
            ? certificate
            : null;

    private async Task<Dictionary<string, ListenerCertificate>> ReadCertificatesAsync(IReadOnlyList<Versioned<ListenerRecord>> listeners, CancellationToken ct)
    {
        var wanted = listeners.Select(l => l.Value.Listener)
            .Where(l => l.Protocol == "HTTPS" && l.Certificates is [{ CertificateArn: not null }, ..])
            .Select(l => l.Certificates![0].CertificateArn!)
            .ToHashSet(StringComparer.Ordinal);
        var opened = new Dictionary<string, ListenerCertificate>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return opened;
        }
        var stored = await documents.ListAllAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, null, ct).ConfigureAwait(false);
        foreach (var record in stored.Select(s => s.Value).Where(r => r.Metadata.Arn is { } arn && wanted.Contains(arn)))
        {
            var key = masterKey.Open(record.SealedPrivateKey, CertificateSealContext + record.Metadata.ServerCertificateName);
            opened[record.Metadata.Arn!] = new ListenerCertificate(record.Metadata.Arn!, record.CertificateBody, record.CertificateChain, key);
        }
        return opened;
    }
}
