using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>RegisterTargets, DeregisterTargets and DescribeTargetHealth, over <see cref="TargetRegistry"/>.</summary>
public sealed partial class TargetHealthOperations(Documents documents, TargetGroupOperations groups, TargetRegistry registry, TargetGroupUsage usage)
{
    /// <summary>Targets per target group (ELB's quota).</summary>
    public const int MaxTargets = 1000;

    public async Task RegisterAsync(RegisterTargetsInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var group = await groups.FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        var targets = Valid(group.TargetGroup, input.Targets);
        var port = group.TargetGroup.Port ?? 0;
        var total = group.Targets.Select(t => (t.Id, t.Port)).Union(targets.Select(t => (t.Id, t.Port ?? port))).Count();
        if (total > MaxTargets)
        {
            throw TargetGroupErrors.TooManyTargets(MaxTargets);
        }
        _ = await registry.RegisterAsync(group.TargetGroup.TargetGroupArn!, targets, ct).ConfigureAwait(false) ?? throw TargetGroupErrors.NotFound();
    }

    public async Task DeregisterAsync(DeregisterTargetsInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var group = await groups.FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        var targets = Valid(group.TargetGroup, input.Targets);
        var port = group.TargetGroup.Port ?? 0;
        var missing = targets.Where(t => !group.Targets.Any(r => r.Id == t.Id && r.Port == (t.Port ?? port))).Select(t => t.Id).ToList();
        if (missing.Count > 0)
        {
            throw TargetGroupErrors.InvalidTarget($"The following targets are not registered in target group '{group.TargetGroup.TargetGroupArn}': {string.Join(", ", missing.Select(m => $"'{m}'"))}");
        }
        var after = await registry.DeregisterAsync(group.TargetGroup.TargetGroupArn!, targets, ct).ConfigureAwait(false) ?? throw TargetGroupErrors.NotFound();
        var name = group.TargetGroup.TargetGroupName!;
        var removed = targets.Select(t => (t.Id, Port: t.Port ?? port)).Where(t => !after.Targets.Any(r => r.Id == t.Id && r.Port == t.Port))
            .Select(t => (WriteOp)new DeleteOp(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(name, t.Id, t.Port))).ToList();
        if (removed.Count > 0)
        {
            await documents.Store.CommitAsync(removed, ct).ConfigureAwait(false); // removed at once (deregistration delay 0): their health goes too
        }
    }

    public async Task<DescribeTargetHealthOutput> DescribeAsync(DescribeTargetHealthInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var include in input.Include ?? [])
        {
            if (!DescribeTargetHealthInputIncludeEnumValues.All.Contains(include))
            {
                throw TargetGroupErrors.Enum("include", include, DescribeTargetHealthInputIncludeEnumValues.All);
            }
        }
        var group = await groups.FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        var shape = group.TargetGroup;
        var inUse = (await usage.ReadAsync(ct).ConfigureAwait(false)).ContainsKey(shape.TargetGroupArn!);
        var health = (await documents.ListAllAsync<TargetHealthRecord>(ElbKinds.TargetHealth, shape.TargetGroupName + "/", ct).ConfigureAwait(false))
            .Select(h => h.Value)
            .Where(h => h.TargetGroupArn == shape.TargetGroupArn)
            .ToDictionary(h => (h.Id, h.Port));
        TargetHealthDescription Describe(RegisteredTarget target) => new()
        {
            Target = new TargetDescription { Id = target.Id, Port = target.Port, AvailabilityZone = target.AvailabilityZone },
            HealthCheckPort = TargetHealthStates.HealthCheckPort(shape, target),
            TargetHealth = TargetHealthStates.Of(target, inUse, health.GetValueOrDefault((target.Id, target.Port))),
        };
        if (input.Targets is not { Count: > 0 } wanted)
        {
            return new DescribeTargetHealthOutput { TargetHealthDescriptions = group.Targets.Select(Describe).ToList() };
        }
        var port = shape.Port ?? 0;
        var described = new List<TargetHealthDescription>();
        foreach (var target in Valid(shape, wanted))
        {
            var matches = group.Targets.Where(t => t.Id == target.Id && t.Port == (target.Port ?? port)).ToList();
            described.AddRange(matches.Count > 0
                ? matches.Select(Describe)
                : [new TargetHealthDescription
                {
                    Target = new TargetDescription { Id = target.Id, Port = target.Port ?? port, AvailabilityZone = target.AvailabilityZone },
                    HealthCheckPort = shape.HealthCheckPort is null or TargetGroupSettings.TrafficPort
                        ? (target.Port ?? port).ToString(CultureInfo.InvariantCulture) : shape.HealthCheckPort,
                    TargetHealth = TargetHealthStates.NotRegistered,
                }]);
        }
        return new DescribeTargetHealthOutput { TargetHealthDescriptions = described };
    }

    /// <summary>The targets of a request, checked as ELB checks them for the group's target type.</summary>
    private static List<TargetRef> Valid(TargetGroup group, IReadOnlyList<TargetDescription>? targets)
    {
        if (targets is not { Count: > 0 })
        {
            throw TargetGroupErrors.Validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
        }
        var valid = new List<TargetRef>(targets.Count);
        foreach (var target in targets)
        {
            var id = target.Id ?? throw TargetGroupErrors.Validation("A target ID must be specified");
            if (target.Port is { } port && port is < 1 or > 65535)
            {
                throw TargetGroupErrors.Range("port", port, 1, 65535);
            }
            if (group.TargetType == "ip" && !IsIpv4(id))
            {
                throw TargetGroupErrors.InvalidTarget($"The IP address '{id}' is not a valid IPv4 address");
            }
            if (group.TargetType != "ip" && !InstanceId().IsMatch(id))
            {
                throw TargetGroupErrors.InvalidTarget($"The following targets are not valid instance IDs: '{id}'");
            }
            valid.Add(new TargetRef(id, target.Port, target.AvailabilityZone));
        }
        return valid;
    }

    private static bool IsIpv4(string id) =>
        id.Count(c => c == '.') == 3 && IPAddress.TryParse(id, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex InstanceId();
}
