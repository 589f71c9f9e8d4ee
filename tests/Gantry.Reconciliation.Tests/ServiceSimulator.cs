using Gantry.Reconciliation;

namespace Gantry.Reconciliation.Tests;

/// <summary>
/// A tiny world that applies reconcile results the way the control plane would: stopped tasks disappear, started
/// tasks are PENDING until the next step, then RUNNING and HEALTHY (or, for a failing task definition, STOPPED
/// without ever being healthy). A rollback starts a new PRIMARY deployment. Time moves 10 s per step.
/// </summary>
internal sealed class ServiceSimulator(
    ServiceSpec spec, IEnumerable<DeploymentState> deployments, IEnumerable<ServiceTask> tasks, IEnumerable<ServiceNode> nodes)
{
    private int _nextTask;
    private int _nextDeployment = 100;

    public ServiceSpec Spec { get; set; } = spec;

    public List<DeploymentState> Deployments { get; private set; } = [.. deployments];

    public List<ServiceTask> Tasks { get; } = [.. tasks];

    public List<ServiceNode> Nodes { get; } = [.. nodes];

    public DateTimeOffset Now { get; private set; } = Build.T0;

    /// <summary>Task definitions whose tasks stop before becoming healthy.</summary>
    public HashSet<string> Failing { get; } = [];

    public List<ReconcileResult> History { get; } = [];

    public List<string> Events { get; } = [];

    public IEnumerable<ServiceTask> Live => Tasks.Where(t => t.DesiredStatus != "STOPPED" && t.LastStatus != "STOPPED");

    public int HealthyCount => Live.Count(t => t.LastStatus == "RUNNING" && t.HealthStatus == "HEALTHY");

    public ReconcileResult Step()
    {
        Now += TimeSpan.FromSeconds(10);
        Progress();
        ReconcileResult result = ServiceReconciler.Reconcile(
            new ReconcileInput(Spec, [.. Deployments], [.. Tasks], [.. Nodes], Now, TimeSpan.FromMinutes(3)));
        Apply(result);
        History.Add(result);
        Events.AddRange(result.Events);
        return result;
    }

    /// <summary>Steps until a steady state, calling <paramref name="check"/> after each applied step.</summary>
    public int RunUntilSteady(Action<ServiceSimulator>? check = null, int maxSteps = 50)
    {
        for (int step = 1; step <= maxSteps; step++)
        {
            ReconcileResult result = Step();
            check?.Invoke(this);
            if (result.SteadyState)
            {
                return step;
            }
        }

        throw new InvalidOperationException($"No steady state after {maxSteps} steps; events:\n{string.Join('\n', Events)}");
    }

    public string TaskDefinitionOf(ServiceTask task) => Deployments.Single(d => d.Id == task.DeploymentId).TaskDefinitionArn;

    private void Progress()
    {
        for (int i = 0; i < Tasks.Count; i++)
        {
            ServiceTask task = Tasks[i];
            if (task.LastStatus != "PENDING" || task.DesiredStatus != "RUNNING")
            {
                continue;
            }

            Tasks[i] = Failing.Contains(TaskDefinitionOf(task))
                ? task with { LastStatus = "STOPPED", DesiredStatus = "STOPPED", StoppedAt = Now }
                : task with { LastStatus = "RUNNING", HealthStatus = "HEALTHY", StartedAt = Now, EverHealthy = true };
        }
    }

    private void Apply(ReconcileResult result)
    {
        HashSet<string> stopped = [.. result.Stops.Select(s => s.TaskId)];
        Tasks.RemoveAll(t => stopped.Contains(t.TaskId));
        foreach (TaskLaunch launch in result.Launches)
        {
            for (int i = 0; i < launch.Count; i++)
            {
                string node = launch.InstanceId ?? PickNode();
                Tasks.Add(new ServiceTask($"t{++_nextTask}", launch.DeploymentId, node, "PENDING", "RUNNING", "UNKNOWN", true, null, null, false));
            }
        }

        Deployments = [.. result.Deployments];
        if (result.NewDeploymentTaskDefinitionArn is { } arn)
        {
            Deployments = [.. Deployments.Select(d => d.Status == "PRIMARY" ? d with { Status = "ACTIVE" } : d)];
            Deployments.Add(new DeploymentState($"ecs-svc/{++_nextDeployment}", arn, "PRIMARY", "IN_PROGRESS", null, 0, Now, Now));
        }
    }

    private string PickNode() =>
        Nodes.Where(n => n.Active && !n.Draining && n.Connected)
            .OrderBy(n => Live.Count(t => t.InstanceId == n.InstanceId))
            .ThenBy(n => n.InstanceId, StringComparer.Ordinal)
            .First().InstanceId;
}
