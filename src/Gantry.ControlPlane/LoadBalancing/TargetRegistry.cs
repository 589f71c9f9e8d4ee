using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>A target to register or deregister: its id (instance id or IP) and port (null: the target group's port).</summary>
public sealed record TargetRef(string Id, int? Port, string? AvailabilityZone = null);

/// <summary>
/// Registration of targets in target groups, shared by RegisterTargets/DeregisterTargets and the services that register
/// their tasks: registering adds a target (or brings a draining one back), deregistering starts its draining (the data
/// plane removes it once <c>deregistration_delay.timeout_seconds</c> has passed; at once when the delay is 0).
/// </summary>
public sealed class TargetRegistry(Documents documents, ElbArns arns, TimeProvider time)
{
    public const string DeregistrationDelay = "deregistration_delay.timeout_seconds";
    public const int DefaultDeregistrationDelaySeconds = 300;

    /// <summary>The target group an ARN names, or null when there is none (or the ARN's id is another group's of that name).</summary>
    public async Task<Versioned<TargetGroupRecord>?> FindAsync(string targetGroupArn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(targetGroupArn);
        if (arns.Segments(targetGroupArn, "targetgroup") is not [var name, _])
        {
            return null;
        }
        var found = await documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, name, ct).ConfigureAwait(false);
        return found?.Value.TargetGroup.TargetGroupArn == targetGroupArn ? found : null;
    }

    /// <summary>Registers <paramref name="targets"/>; those already registered (and not draining) stay as they are.</summary>
    /// <returns>The group as stored after, or null when it does not exist.</returns>
    public Task<TargetGroupRecord?> RegisterAsync(string targetGroupArn, IReadOnlyList<TargetRef> targets, CancellationToken ct) =>
        ChangeAsync(targetGroupArn, group =>
        {
            var now = time.GetUtcNow();
            var port = group.TargetGroup.Port ?? 0;
            var kept = group.Targets.ToList();
            foreach (var target in targets)
            {
                var key = (target.Id, target.Port ?? port);
                var index = kept.FindIndex(t => (t.Id, t.Port) == key);
                if (index < 0)
                {
                    kept.Add(new RegisteredTarget(target.Id, key.Item2, target.AvailabilityZone, now));
                }
                else if (kept[index].DrainingSince is not null)
                {
                    kept[index] = new RegisteredTarget(target.Id, key.Item2, target.AvailabilityZone ?? kept[index].AvailabilityZone, now);
                }
            }
            return group with { Targets = kept };
        }, ct);

    /// <summary>Starts draining <paramref name="targets"/> (removes them at once when the group's delay is 0); unknown ones are ignored.</summary>
    /// <returns>The group as stored after, or null when it does not exist.</returns>
    public Task<TargetGroupRecord?> DeregisterAsync(string targetGroupArn, IReadOnlyList<TargetRef> targets, CancellationToken ct) =>
        ChangeAsync(targetGroupArn, group =>
        {
            var now = time.GetUtcNow();
            var port = group.TargetGroup.Port ?? 0;
            var leaving = targets.Select(t => (t.Id, t.Port ?? port)).ToHashSet();
            var immediate = DelayOf(group) == TimeSpan.Zero;
            var kept = new List<RegisteredTarget>(group.Targets.Count);
            foreach (var target in group.Targets)
            {
                if (!leaving.Contains((target.Id, target.Port)))
                {
                    kept.Add(target);
                }
                else if (!immediate)
                {
                    kept.Add(target.DrainingSince is null ? target with { DrainingSince = now } : target);
                }
            }
            return group with { Targets = kept };
        }, ct);

    /// <summary>How long a deregistered target of <paramref name="group"/> drains.</summary>
    public static TimeSpan DelayOf(TargetGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var value = group.Attributes.FirstOrDefault(a => a.Key == DeregistrationDelay)?.Value;
        return TimeSpan.FromSeconds(int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : DefaultDeregistrationDelaySeconds);
    }

    private async Task<TargetGroupRecord?> ChangeAsync(string targetGroupArn, Func<TargetGroupRecord, TargetGroupRecord> change, CancellationToken ct)
    {
        if (await FindAsync(targetGroupArn, ct).ConfigureAwait(false) is not { } found)
        {
            return null;
        }
        try
        {
            return await documents.UpdateAsync<TargetGroupRecord>(ElbKinds.TargetGroup, found.Value.TargetGroup.TargetGroupName!, current =>
                current is not null && current.TargetGroup.TargetGroupArn == targetGroupArn ? change(current) : throw new GroupGoneException(), ct)
                .ConfigureAwait(false);
        }
        catch (GroupGoneException)
        {
            return null; // deleted (or replaced by a group of the same name) since it was found
        }
    }

    private sealed class GroupGoneException : Exception;
}
