using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Services;

/// <summary>
/// A service as stored (kind <c>service</c>, key <c>&lt;cluster&gt;/&lt;name&gt;</c>): the ECS shape DescribeServices returns,
/// whose deployments carry their task definitions and rollout states, plus whether the steady state was announced and,
/// for a service with load balancers, its tasks' registrations in its target groups (by task id), and for a service with
/// <c>serviceRegistries</c>, its tasks registered in Cloud Map (task id to the health last set there) and the registry they are
/// in (UpdateService may name another), and the search domain its tasks resolve names in (the registry's namespace).
/// </summary>
public sealed record ServiceRecord(Service Service, string Cluster, bool SteadyAnnounced = false, IReadOnlyList<Deployment>? Inactive = null,
    IReadOnlyDictionary<string, TaskTargets>? Targets = null, IReadOnlyDictionary<string, bool>? Registered = null, string? RegisteredIn = null,
    string? DnsSearch = null)
{
    public const int MaxEvents = 100;
    private const int InactiveKept = 5;

    /// <summary>Every deployment the controller reasons about: the shown ones and the recent INACTIVE ones (rollback targets).</summary>
    public IReadOnlyList<Deployment> AllDeployments => [.. Service.Deployments ?? [], .. Inactive ?? []];

    /// <summary>
    /// Stores <paramref name="deployments"/>: INACTIVE ones leave the service's deployments (as in ECS, where
    /// services-stable waits for exactly one) and the newest few are kept aside.
    /// </summary>
    public ServiceRecord WithDeployments(IReadOnlyList<Deployment> deployments) => this with
    {
        Service = Service with { Deployments = [.. deployments.Where(d => d.Status != "INACTIVE")] },
        Inactive = [.. deployments.Where(d => d.Status == "INACTIVE").OrderByDescending(d => d.UpdatedAt).Take(InactiveKept)],
    };

    /// <summary>Tasks of a service are placed in this group (as ECS does).</summary>
    public string Group => $"service:{Service.ServiceName}";

    /// <summary>Adds events newest first, keeping the most recent <see cref="MaxEvents"/>.</summary>
    public ServiceRecord WithEvents(IEnumerable<string> messages, DateTimeOffset now)
    {
        var added = messages.Select(m => new ServiceEvent { Id = Guid.NewGuid().ToString(), CreatedAt = now, Message = m }).Reverse().ToList();
        return added.Count == 0 ? this : this with { Service = Service with { Events = [.. added.Concat(Service.Events ?? []).Take(MaxEvents)] } };
    }
}
