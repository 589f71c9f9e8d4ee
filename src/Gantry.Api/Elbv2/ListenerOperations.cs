using System.Globalization;
using Gantry.Api.Iam;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>
/// CreateListener, DescribeListeners, ModifyListener, DeleteListener. Application load balancers take HTTP and HTTPS
/// listeners (HTTPS with an IAM server certificate and a security policy), network ones TCP; a port is used once per load
/// balancer. Listeners are stored under "&lt;lb name&gt;/&lt;listener id&gt;"; their default actions are their default rule.
/// </summary>
public sealed class ListenerOperations(ElbResources resources, ElbActions actions, ServerCertificates certificates)
{
    private Documents Documents => resources.Documents;

    public async Task<CreateListenerOutput> CreateAsync(CreateListenerInput request, CancellationToken ct)
    {
        var balancerArn = request.LoadBalancerArn ?? throw ElbErrors.Missing("loadBalancerArn");
        var balancer = (await resources.FindBalancerAsync(balancerArn, ct).ConfigureAwait(false))?.Value ?? throw ElbErrors.LoadBalancerNotFound(balancerArn);
        var type = balancer.LoadBalancer.Type!;
        var protocol = Protocol(request.Protocol, type);
        var port = Port(request.Port);
        var tags = ElbTags.Validate(request.Tags);
        var existing = await resources.ListenersOfAsync(balancer.LoadBalancer.LoadBalancerName!, ct).ConfigureAwait(false);
        if (existing.Any(l => l.Value.Listener.Port == port))
        {
            throw ElbErrors.DuplicateListener(balancerArn);
        }
        if (existing.Count >= ElbLimits.ListenersPerLoadBalancer)
        {
            throw ElbErrors.TooManyListeners();
        }
        var (certificatesOut, policy) = await TlsAsync(protocol, request.Certificates, request.SslPolicy, ct).ConfigureAwait(false);
        var defaults = await actions.ValidateAsync(request.DefaultActions, "defaultActions", balancer, protocol, ct).ConfigureAwait(false);
        var id = ElbArns.NewId();
        var segments = resources.Arns.Segments(balancerArn, "loadbalancer")!;
        var listener = new Listener
        {
            ListenerArn = resources.Arns.Listener(type, segments[1], segments[2], id),
            LoadBalancerArn = balancerArn,
            Port = port,
            Protocol = protocol,
            Certificates = certificatesOut,
            SslPolicy = policy,
            DefaultActions = defaults,
        };
        var key = $"{balancer.LoadBalancer.LoadBalancerName}/{id}";
        await Documents.Store.CommitAsync([Documents.Put(ElbKinds.Listener, key, new ListenerRecord(listener, tags), Store.WriteOp.MustNotExist)], ct)
            .ConfigureAwait(false);
        return new CreateListenerOutput { Listeners = [listener] };
    }

    public async Task<DescribeListenersOutput> DescribeAsync(DescribeListenersInput request, CancellationToken ct)
    {
        var size = ElbPaging.Size(request.PageSize);
        if (request.ListenerArns is { Count: > 0 } arns)
        {
            if (request.LoadBalancerArn is not null)
            {
                throw ElbErrors.Validation("Listener ARNs and a load balancer ARN cannot be specified at the same time");
            }
            var found = new List<Listener>();
            foreach (var arn in arns.Distinct(StringComparer.Ordinal))
            {
                found.Add((await resources.FindListenerAsync(arn, ct).ConfigureAwait(false))?.Value.Listener ?? throw ElbErrors.ListenersNotFound());
            }
            return new DescribeListenersOutput { Listeners = found };
        }
        var balancerArn = request.LoadBalancerArn ?? throw ElbErrors.Validation("You must specify either listener ARNs or a load balancer ARN");
        var balancer = (await resources.FindBalancerAsync(balancerArn, ct).ConfigureAwait(false))?.Value ?? throw ElbErrors.LoadBalancerNotFound(balancerArn);
        var page = await Documents.ListAsync<ListenerRecord>(ElbKinds.Listener, balancer.LoadBalancer.LoadBalancerName + "/", ElbPaging.After(request.Marker),
            size + 1, ct).ConfigureAwait(false);
        var items = page.Take(size).Select(l => l.Value.Listener).ToList();
        return new DescribeListenersOutput
        {
            Listeners = items,
            NextMarker = page.Count > size ? ElbPaging.Next(resources.ListenerKey(items[^1].ListenerArn!)!) : null,
        };
    }

    public async Task<ModifyListenerOutput> ModifyAsync(ModifyListenerInput request, CancellationToken ct)
    {
        var arn = request.ListenerArn ?? throw ElbErrors.Missing("listenerArn");
        var found = await resources.FindListenerAsync(arn, ct).ConfigureAwait(false) ?? throw ElbErrors.ListenerNotFound(arn);
        var current = found.Value.Listener;
        var balancer = await resources.BalancerOfAsync(found.Value, ct).ConfigureAwait(false);
        var protocol = request.Protocol is null ? current.Protocol! : Protocol(request.Protocol, balancer.LoadBalancer.Type!);
        var port = request.Port is null ? current.Port!.Value : Port(request.Port);
        if (port != current.Port)
        {
            var others = await resources.ListenersOfAsync(balancer.LoadBalancer.LoadBalancerName!, ct).ConfigureAwait(false);
            if (others.Any(l => l.Value.Listener.Port == port && l.Value.Listener.ListenerArn != arn))
            {
                throw ElbErrors.DuplicateListener(balancer.LoadBalancer.LoadBalancerArn!);
            }
        }
        var keepTls = protocol == current.Protocol;
        var (certificatesOut, policy) = await TlsAsync(protocol, request.Certificates ?? (keepTls ? current.Certificates : null),
            request.SslPolicy ?? (keepTls ? current.SslPolicy : null), ct).ConfigureAwait(false);
        var defaults = request.DefaultActions is { Count: > 0 }
            ? await actions.ValidateAsync(request.DefaultActions, "defaultActions", balancer, protocol, ct).ConfigureAwait(false)
            : current.DefaultActions;
        var listener = current with { Protocol = protocol, Port = port, Certificates = certificatesOut, SslPolicy = policy, DefaultActions = defaults };
        await Documents.Store.CommitAsync([Documents.Put(ElbKinds.Listener, resources.ListenerKey(arn)!, found.Value with { Listener = listener }, found.Version)], ct)
            .ConfigureAwait(false);
        return new ModifyListenerOutput { Listeners = [listener] };
    }

    /// <summary>Deletes a listener and its rules.</summary>
    public async Task<DeleteListenerOutput> DeleteAsync(DeleteListenerInput request, CancellationToken ct)
    {
        var arn = request.ListenerArn ?? throw ElbErrors.Missing("listenerArn");
        var found = await resources.FindListenerAsync(arn, ct).ConfigureAwait(false) ?? throw ElbErrors.ListenerNotFound(arn);
        var key = resources.ListenerKey(arn)!;
        var rules = await resources.RulesOfAsync(key, ct).ConfigureAwait(false);
        var deletes = new List<Store.WriteOp> { new Store.DeleteOp(ElbKinds.Listener, key, found.Version) };
        deletes.AddRange(rules.Select(r => new Store.DeleteOp(ElbKinds.Rule, resources.RuleKey(r.Value.Rule.RuleArn!)!)));
        await Documents.Store.CommitAsync(deletes, ct).ConfigureAwait(false);
        return new DeleteListenerOutput();
    }

    private static string Protocol(string? protocol, string type)
    {
        if (protocol is null)
        {
            throw ElbErrors.Missing("protocol");
        }
        var allowed = type == "network" ? new[] { "TCP" } : ["HTTPS", "HTTP"];
        if (allowed.Contains(protocol, StringComparer.Ordinal))
        {
            return protocol;
        }
        if (type == "network" && protocol is "TLS" or "UDP" or "TCP_UDP")
        {
            throw ElbErrors.Validation($"Listener protocol '{protocol}' is not supported by Gantry: network load balancer listeners are TCP");
        }
        throw ElbErrors.Validation($"Listener protocol '{protocol}' must be one of '{string.Join(", ", allowed)}'");
    }

    private static int Port(int? port) => port switch
    {
        null => throw ElbErrors.Missing("port"),
        < 1 => throw ElbErrors.Constraint(port.Value.ToString(CultureInfo.InvariantCulture), "port", "Member must have value greater than or equal to 1"),
        > 65535 => throw ElbErrors.Constraint(port.Value.ToString(CultureInfo.InvariantCulture), "port", "Member must have value less than or equal to 65535"),
        _ => port.Value,
    };

    /// <summary>An HTTPS listener's certificate (an IAM server certificate) and security policy; none for HTTP and TCP.</summary>
    private async Task<(IReadOnlyList<Certificate>? Certificates, string? Policy)> TlsAsync(string protocol, IReadOnlyList<Certificate>? requested, string? policy,
        CancellationToken ct)
    {
        if (protocol != "HTTPS")
        {
            if (requested is { Count: > 0 } || policy is not null)
            {
                throw ElbErrors.Validation($"Certificates and an SSL policy can only be specified for HTTPS listeners, not for '{protocol}'");
            }
            return (null, null);
        }
        if (requested is not { Count: > 0 } || requested[0].CertificateArn is not { } arn)
        {
            throw ElbErrors.Validation("A certificate must be specified for HTTPS listeners");
        }
        if (requested.Count > 1)
        {
            throw ElbErrors.Validation("You can specify only one certificate when creating a listener: add more with AddListenerCertificates");
        }
        if (await certificates.FindByArnAsync(arn, ct).ConfigureAwait(false) is null)
        {
            throw ElbErrors.CertificateNotFound(arn);
        }
        var name = policy ?? SslPolicies.Default;
        if (SslPolicies.Find(name) is null)
        {
            throw ElbErrors.SslPolicyNotFound(name);
        }
        return ([new Certificate { CertificateArn = arn }], name);
    }
}
