using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Tells every agent connected to this replica where each awsvpc task's subnet address lives, so a task reaches a task of
/// its subnet on another node: follows the store's tasks (their interfaces), container instances (which node each is)
/// and node addresses (the address each node's agent connects from, <see cref="InstanceAddressRecord.PeerAddress"/>),
/// and sends one <see cref="TaskRoutes"/> with every live interface's address and its node's address whenever that set
/// changes, and to an agent that connected here since. Each node routes the addresses not its own via their node.
/// </summary>
public sealed partial class RouteFeed(IStateStore store, JsonSerializerOptions jsonOptions, AgentSessions sessions, TimeProvider time, ILogger<RouteFeed> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Node, string Address)> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instances = new(StringComparer.Ordinal); // container instance key → EC2 instance id
    private readonly Dictionary<string, string> _nodes = new(StringComparer.Ordinal); // EC2 instance id → node address
    private readonly HashSet<AgentSession> _told = [];
    private TaskRoutes _routes = new();

    public Task RunAsync(CancellationToken ct) =>
        // Every send reaches exactly the agents connected here that have not had the current routes, so a resend is a send.
        StoreFollower.RunAsync(store, LoadAsync, Apply, _ => Send(), FirewallFeed.Resend, time, e => LogFollowFailed(logger, e), ct);

    private async Task<long> LoadAsync(CancellationToken ct)
    {
        var revision = store.CurrentRevision;
        var documents = new Documents(store, jsonOptions);
        var tasks = await documents.ListAllAsync<TaskRecord>(Kinds.Task, null, ct).ConfigureAwait(false);
        var instances = await documents.ListAllAsync<ContainerInstance>(Kinds.ContainerInstance, null, ct).ConfigureAwait(false);
        var nodes = await documents.ListAllAsync<InstanceAddressRecord>(ElbKinds.InstanceAddress, null, ct).ConfigureAwait(false);
        lock (_lock)
        {
            _tasks.Clear();
            _instances.Clear();
            _nodes.Clear();
            foreach (var task in tasks)
            {
                Take(task.Value);
            }
            foreach (var instance in instances)
            {
                // container-instance/<cluster or pool>/<id>: the key of its document, as a task's InstanceCluster/InstanceId name it.
                if (EcsArn.TryParse(instance.Value.ContainerInstanceArn, out var arn))
                {
                    _instances[arn.Resource] = instance.Value.Ec2InstanceId ?? "";
                }
            }
            foreach (var node in nodes)
            {
                _nodes[node.Value.InstanceId] = node.Value.PeerAddress ?? node.Value.Address;
            }
        }
        return revision;
    }

    /// <summary>Takes in changed tasks, new or removed container instances and node addresses; true when any of them matters.</summary>
    private bool Apply(IReadOnlyList<Change> changes)
    {
        var changed = false;
        lock (_lock)
        {
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case Kinds.Task when change.Body is null:
                        changed |= _tasks.Remove(change.Key);
                        break;
                    case Kinds.Task when change.Body.Contains("awsvpc", StringComparison.Ordinal):
                        changed |= Take(JsonSerializer.Deserialize<TaskRecord>(change.Body, jsonOptions)!);
                        break;
                    case Kinds.ContainerInstance when change.Body is null:
                        changed |= _instances.Remove(change.Key);
                        break;
                    case Kinds.ContainerInstance when !_instances.ContainsKey(change.Key):
                        // A node's instance document changes with every task placed on it: only a new one is read.
                        _instances[change.Key] = JsonSerializer.Deserialize<ContainerInstance>(change.Body, jsonOptions)!.Ec2InstanceId ?? "";
                        changed = true;
                        break;
                    case ElbKinds.InstanceAddress when change.Body is null:
                        changed |= _nodes.Remove(change.Key);
                        break;
                    case ElbKinds.InstanceAddress:
                        var node = JsonSerializer.Deserialize<InstanceAddressRecord>(change.Body, jsonOptions)!;
                        _nodes[change.Key] = node.PeerAddress ?? node.Address;
                        changed = true;
                        break;
                }
            }
        }
        return changed;
    }

    /// <summary>Sends the current routes to the agents connected here that have not had them.</summary>
    private void Send()
    {
        lock (_lock)
        {
            var routes = new TaskRoutes();
            foreach (var (node, address) in _tasks.Values.OrderBy(t => t.Address, StringComparer.Ordinal))
            {
                if (_instances.TryGetValue(node, out var ec2) && _nodes.TryGetValue(ec2, out var via))
                {
                    routes.Routes.Add(new TaskRoute { Address = address, Via = via });
                }
            }
            if (!routes.Equals(_routes))
            {
                _routes = routes;
                _told.Clear();
            }
            var connected = sessions.All;
            _told.IntersectWith(connected);
            foreach (var session in connected.Where(s => !_told.Contains(s)))
            {
                if (sessions.Send(session.PrimaryArn, new ControlMessage { Routes = _routes }))
                {
                    _told.Add(session);
                }
            }
        }
    }

    /// <summary>Tracks a task's interface while it is not stopped; true when the routes change.</summary>
    private bool Take(TaskRecord task)
    {
        var key = Kinds.InCluster(task.Cluster, task.Id);
        if (task.Interface is not { } eni || task.Task.LastStatus == TaskStatus.Stopped)
        {
            return _tasks.Remove(key);
        }
        var entry = (Kinds.InCluster(task.InstanceCluster, task.InstanceId), eni.Address);
        if (_tasks.TryGetValue(key, out var known) && known == entry)
        {
            return false;
        }
        _tasks[key] = entry;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following tasks and nodes for routes failed; reading them again")]
    private static partial void LogFollowFailed(ILogger logger, Exception e);
}
