using Gantry.ControlPlane.Nodes;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Store;

namespace Gantry.ControlPlane.Fargate;

/// <summary>What a reclaim did: the node, and the tasks it interrupted (those that were still wanted running).</summary>
public sealed record SpotReclaim(NodeRecord Node, IReadOnlyList<string> InterruptedTaskArns);

/// <summary>
/// Takes a FARGATE_SPOT node back, as AWS reclaims Spot capacity: the node is marked reclaimed and each of its
/// container instances (its pool node, and its cluster's instance if it has one) becomes DRAINING, so nothing is placed
/// there again; in the same commit every task on it is wanted STOPPED with stopCode SpotInterruption and
/// "Your Spot Task was interrupted.". The agent is then told: its containers get SIGTERM and SIGKILL after their
/// stopTimeout (at most the two-minute warning). Services replace their tasks on the capacity their strategy still
/// has, never on this node. One commit, so the service controller never sees the node draining with its tasks still
/// wanted running (it would stop them itself, as ServiceSchedulerInitiated).
/// </summary>
public sealed class SpotReclaimer(Documents documents, NodeDirectory nodes, TaskStopper stopper, TimeProvider time)
{
    private const int MaxAttempts = 8;

    public async Task<SpotReclaim> ReclaimAsync(string nodeId, CancellationToken ct)
    {
        var node = await nodes.MarkReclaimedAsync(nodeId, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var ops = new List<WriteOp>();
            var arns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cluster in node.Registrations)
            {
                var instances = await documents.ListAllAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(cluster), ct).ConfigureAwait(false);
                foreach (var instance in instances.Where(i => i.Value.Ec2InstanceId == node.InstanceId && i.Value.Status != "INACTIVE"))
                {
                    arns.Add(instance.Value.ContainerInstanceArn!);
                    if (instance.Value.Status != ContainerInstanceStatusValues.DRAINING)
                    {
                        var draining = instance.Value with { Status = ContainerInstanceStatusValues.DRAINING, Version = instance.Value.Version + 1 };
                        ops.Add(documents.Put(Kinds.ContainerInstance, Kinds.InCluster(cluster, Domain.Arns.EcsArns.ContainerInstanceId(draining.ContainerInstanceArn!)),
                            draining, instance.Version));
                    }
                }
            }
            // A pool node runs tasks of every cluster.
            var tasks = (await documents.ListAllAsync<TaskRecord>(Kinds.Task, null, ct).ConfigureAwait(false))
                .Where(t => arns.Contains(t.Value.AgentArn) && t.Value.Task.LastStatus != TaskStatus.Stopped)
                .ToList();
            var stopping = new List<TaskRecord>();
            var interrupted = new List<string>();
            foreach (var task in tasks)
            {
                var next = TaskStopper.Stopping(task.Value, SpotInterruption.StopCode, SpotInterruption.Reason, now);
                if (!ReferenceEquals(next, task.Value))
                {
                    ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(next.Cluster, next.Id), next, task.Version));
                    interrupted.Add(next.Task.TaskArn!);
                }
                stopping.Add(next);
            }
            try
            {
                if (ops.Count > 0)
                {
                    await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
                }
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // A task or instance changed meanwhile (a report, a placement): read again.
                continue;
            }
            // Stopping ones too: the agent may not have had the earlier stop (it was away).
            foreach (var task in stopping)
            {
                stopper.Tell(task);
            }
            return new SpotReclaim(node, interrupted);
        }
    }
}
