using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Networks;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Keeps every awsvpc task's firewall on its node in step with its security groups: follows the store's change feed for
/// security groups and tasks (a task's address makes it a member its groups' source-group rules name), plans each live
/// task's <see cref="TaskFirewall"/> (<see cref="FirewallPlanner"/>) and sends the ones that changed to the agents connected
/// to this replica; every <see cref="Resend"/> it sends again what an agent that reconnected here may have missed.
/// <see cref="TaskDispatcher"/> asks it for a task's first firewall, which goes with RunTask.
/// </summary>
public sealed partial class FirewallFeed(IStateStore store, JsonSerializerOptions jsonOptions, AgentSessions sessions, TimeProvider time, ILogger<FirewallFeed> logger)
{
    /// <summary>How often unchanged firewalls are offered again to agents connected here (a reconnected agent catches up).</summary>
    public static readonly TimeSpan Resend = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SecurityGroupRecord> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Member> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskFirewall> _sent = new(StringComparer.Ordinal);

    /// <summary>An awsvpc task that is not stopped: its agent, its groups and (once reported) its address.</summary>
    private sealed record Member(string AgentArn, IReadOnlyList<string> Groups, string? Address);

    /// <summary>The firewall of a task about to be sent to its agent, or null when it has none (not awsvpc, or no groups).</summary>
    public TaskFirewall? For(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (MemberOf(task) is not { } member)
        {
            return null;
        }
        lock (_lock)
        {
            var firewall = FirewallPlanner.Plan(task.Task.TaskArn!, member.Groups, _groups, Members());
            _sent[task.Task.TaskArn!] = firewall;
            return firewall;
        }
    }

    public Task RunAsync(CancellationToken ct) =>
        StoreFollower.RunAsync(store, LoadAsync, Apply, Send, Resend, time, e => LogFollowFailed(logger, e), ct);

    /// <summary>Reads every security group and task afresh; returns the revision it read at.</summary>
    private async Task<long> LoadAsync(CancellationToken ct)
    {
        var revision = store.CurrentRevision;
        var documents = new Documents(store, jsonOptions);
        var groups = await documents.ListAllAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, null, ct).ConfigureAwait(false);
        var tasks = await documents.ListAllAsync<TaskRecord>(Kinds.Task, null, ct).ConfigureAwait(false);
        lock (_lock)
        {
            _groups.Clear();
            _tasks.Clear();
            foreach (var group in groups)
            {
                _groups[group.Value.Id] = group.Value;
            }
            foreach (var task in tasks)
            {
                if (MemberOf(task.Value) is { } member)
                {
                    _tasks[task.Value.Task.TaskArn!] = member;
                }
            }
        }
        return revision;
    }

    /// <summary>Takes in the changed groups and tasks; true when any of them matters to a firewall.</summary>
    private bool Apply(IReadOnlyList<Change> changes)
    {
        var changed = false;
        lock (_lock)
        {
            foreach (var change in changes)
            {
                if (change.Kind == NetworkKinds.SecurityGroup)
                {
                    if (change.Body is null)
                    {
                        _groups.Remove(change.Key);
                    }
                    else
                    {
                        _groups[change.Key] = JsonSerializer.Deserialize<SecurityGroupRecord>(change.Body, jsonOptions)!;
                    }
                    changed = true;
                }
                else if (change.Kind == Kinds.Task && change.Body is not null && change.Body.Contains("awsvpc", StringComparison.Ordinal))
                {
                    // Only awsvpc tasks have firewalls (and every tracked task's body says awsvpc): others are not even read.
                    var task = JsonSerializer.Deserialize<TaskRecord>(change.Body, jsonOptions)!;
                    var arn = task.Task.TaskArn!;
                    var member = MemberOf(task);
                    var before = _tasks.GetValueOrDefault(arn);
                    if (member is null)
                    {
                        changed |= _tasks.Remove(arn);
                        _sent.Remove(arn);
                    }
                    else if (member != before && (before is null || before.Address != member.Address || !before.Groups.SequenceEqual(member.Groups)))
                    {
                        _tasks[arn] = member;
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

    /// <summary>Plans every live task's firewall and sends the changed ones (or all) to the agents connected here.</summary>
    private void Send(bool all)
    {
        lock (_lock)
        {
            var members = Members();
            foreach (var (arn, member) in _tasks)
            {
                var firewall = FirewallPlanner.Plan(arn, member.Groups, _groups, members);
                if ((all || !firewall.Equals(_sent.GetValueOrDefault(arn))) && sessions.Send(member.AgentArn, new ControlMessage { Firewall = firewall }))
                {
                    _sent[arn] = firewall;
                }
            }
        }
    }

    /// <summary>The addresses of each group's member tasks.</summary>
    private Dictionary<string, IReadOnlyCollection<string>> Members()
    {
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var member in _tasks.Values.Where(m => m.Address is not null))
        {
            foreach (var group in member.Groups)
            {
                (members.TryGetValue(group, out var list) ? list : members[group] = []).Add(member.Address!);
            }
        }
        return members.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value, StringComparer.Ordinal);
    }

    private static Member? MemberOf(TaskRecord task) =>
        task.Definition.NetworkMode == NetworkModeValues.awsvpc && task.Task.LastStatus != TaskStatus.Stopped
        && task.Network?.AwsvpcConfiguration?.SecurityGroups is { Count: > 0 } groups
            ? new Member(task.AgentArn, groups, TaskAttachments.PrivateAddress(task.Task))
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following security groups and tasks for firewalls failed; reading them again")]
    private static partial void LogFollowFailed(ILogger logger, Exception e);
}
