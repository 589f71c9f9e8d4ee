using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class TaskHealthTests
{
    private static readonly DeploymentState[] Completed = [Deployment(New, rollout: "COMPLETED")];

    [Theory]
    [InlineData(60, false)] // disconnected one minute: still counted, nothing replaced
    [InlineData(179, false)]
    [InlineData(180, true)] // grace (3 min) reached: lost
    [InlineData(600, true)]
    public void Tasks_on_a_disconnected_instance_are_lost_only_after_the_grace_period(int disconnectedSeconds, bool lost)
    {
        ServiceNode[] nodes = [Node("a"), Node("b", connected: false, disconnectedSince: T0.AddSeconds(-disconnectedSeconds))];
        ServiceTask[] tasks = [Healthy("t1", node: "a"), Healthy("t2", node: "b"), Healthy("t3", node: "b")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(3), Completed, tasks, nodes));

        if (lost)
        {
            Assert.Equal(
                [new TaskStop("t2", "Task stopped because its container instance was lost"),
                 new TaskStop("t3", "Task stopped because its container instance was lost")],
                result.Stops);
            Assert.Equal(2, Launched(result));
            Assert.Equal(["(service web) has stopped 2 running tasks: (task t2) (task t3)."], result.Events);
        }
        else
        {
            Assert.Empty(result.Stops);
            Assert.Empty(result.Launches);
            Assert.True(result.SteadyState);
        }
    }

    [Fact]
    public void A_task_on_an_instance_that_is_no_longer_registered_is_lost()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(1), Completed, [Healthy("t1", node: "gone")], Nodes("a")));

        Assert.Equal([new TaskStop("t1", "Task stopped because its container instance was lost")], result.Stops);
        Assert.Equal(1, Launched(result));
    }

    [Fact]
    public void Surplus_tasks_after_a_lost_instance_returns_are_stopped_newest_first()
    {
        // The instance came back before its tasks were written off, after replacements had started elsewhere.
        ServiceTask[] tasks =
        [
            Healthy("b1", node: "b", age: TimeSpan.FromHours(2)), Healthy("b2", node: "b", age: TimeSpan.FromHours(2)),
            Healthy("a1", node: "a", age: TimeSpan.FromMinutes(2)), Healthy("a2", node: "a", age: TimeSpan.FromMinutes(1)),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(2), Completed, tasks, Nodes("a", "b")));

        Assert.Equal(["a2", "a1"], result.Stops.Select(s => s.TaskId));
        Assert.Empty(result.Launches);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void An_unhealthy_task_within_the_grace_period_is_neither_stopped_nor_counted_healthy()
    {
        ServiceSpec spec = Replica(2, grace: TimeSpan.FromMinutes(2));

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(spec, Completed, [Healthy("ok"), Unhealthy("sick", TimeSpan.FromMinutes(1))]));

        Assert.Empty(result.Stops);
        Assert.Empty(result.Launches);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void An_unhealthy_task_after_the_grace_period_is_stopped_and_replaced()
    {
        ServiceSpec spec = Replica(2, grace: TimeSpan.FromMinutes(2));

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(spec, Completed, [Healthy("ok"), Unhealthy("sick", TimeSpan.FromMinutes(2))]));

        Assert.Equal([new TaskStop("sick", "Task failed container health checks")], result.Stops);
        Assert.Equal(new TaskLaunch(New, 1, null), Assert.Single(result.Launches));
        Assert.Equal(
            [
                "(service web) (task sick) failed container health checks.",
                "(service web) has stopped 1 running tasks: (task sick).",
            ],
            result.Events);
    }

    [Fact]
    public void An_unhealthy_task_is_replaced_even_when_maximum_percent_allows_no_surge()
    {
        ServiceSpec spec = Replica(2, min: 100, max: 100);

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(spec, Completed, [Healthy("ok"), Unhealthy("sick", TimeSpan.FromMinutes(5))]));

        Assert.Single(result.Stops);
        Assert.Equal(1, Launched(result));
    }

    [Fact]
    public void Health_status_is_ignored_for_tasks_that_are_not_yet_running()
    {
        ServiceTask starting = Pending("p") with { HealthStatus = "UNHEALTHY" };

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(1), Completed, [starting]));

        Assert.Empty(result.Stops);
    }
}
