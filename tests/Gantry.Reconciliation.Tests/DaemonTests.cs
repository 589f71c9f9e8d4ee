using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class DaemonTests
{
    private static readonly DeploymentState[] Completed = [Deployment(New, rollout: "COMPLETED")];

    [Fact]
    public void One_task_goes_to_each_active_connected_matching_instance()
    {
        ServiceNode[] nodes =
        [
            Node("c"), Node("a"), Node("b"),
            Node("unmatched", matches: false),
            Node("offline", connected: false, disconnectedSince: T0.AddSeconds(-5)),
            Node("draining", active: false, draining: true),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Daemon(), [Deployment(New)], [], nodes));

        Assert.Equal([new TaskLaunch(New, 1, "a"), new TaskLaunch(New, 1, "b"), new TaskLaunch(New, 1, "c")], result.Launches);
        Assert.Empty(result.Stops);
    }

    [Fact]
    public void The_desired_count_is_ignored()
    {
        ServiceSpec spec = Daemon() with { DesiredCount = 10 };

        ReconcileResult result = ServiceReconciler.Reconcile(Input(spec, [Deployment(New)], [], Nodes("a", "b")));

        Assert.Equal(2, Launched(result));
    }

    [Fact]
    public void A_new_instance_gets_a_task()
    {
        ServiceTask[] tasks = [Healthy("ta", node: "a"), Healthy("tb", node: "b")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Daemon(), Completed, tasks, Nodes("a", "b", "c")));

        Assert.Equal([new TaskLaunch(New, 1, "c")], result.Launches);
        Assert.Empty(result.Stops);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void One_healthy_task_per_instance_is_a_steady_state()
    {
        ServiceTask[] tasks = [Healthy("ta", node: "a"), Healthy("tb", node: "b")];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Daemon(), [Deployment(New)], tasks, [.. Nodes("a", "b"), Node("x", matches: false)]));

        Assert.True(result.SteadyState);
        Assert.Equal("COMPLETED", Get(result, New).RolloutState);
    }

    [Theory]
    [InlineData(false, true, true)] // draining
    [InlineData(false, false, true)] // no longer active (e.g. deregistering)
    [InlineData(true, false, false)] // no longer matches the placement constraints
    public void A_task_on_an_instance_where_it_no_longer_belongs_is_stopped(bool active, bool draining, bool matches)
    {
        ServiceNode[] nodes = [Node("a"), Node("x", active: active, draining: draining, matches: matches)];
        ServiceTask[] tasks = [Healthy("ta", node: "a"), Healthy("tx", node: "x")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Daemon(min: 100), Completed, tasks, nodes));

        Assert.Equal([new TaskStop("tx", "Scaling activity initiated by (deployment ecs-svc/2)")], result.Stops);
        Assert.Empty(result.Launches);
    }

    [Fact]
    public void Tasks_on_an_instance_disconnected_within_the_grace_period_are_left_alone()
    {
        ServiceNode[] nodes = [Node("a"), Node("x", connected: false, disconnectedSince: T0.AddMinutes(-1))];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Daemon(), Completed, [Healthy("ta", node: "a"), Healthy("tx", node: "x")], nodes));

        Assert.Empty(result.Stops);
        Assert.Empty(result.Launches);
    }

    [Fact]
    public void Duplicates_on_one_instance_are_stopped_keeping_the_healthy_oldest()
    {
        ServiceTask[] tasks =
        [
            Healthy("old", node: "a", age: TimeSpan.FromHours(1)), Healthy("new", node: "a", age: TimeSpan.FromMinutes(1)),
            Pending("pending", node: "a"),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Daemon(min: 100), Completed, tasks, Nodes("a")));

        Assert.Equal(["pending", "new"], result.Stops.Select(s => s.TaskId));
    }

    [Fact]
    public void A_rolling_update_with_the_default_minimum_of_0_stops_every_old_task_then_starts_the_new_ones()
    {
        ServiceSimulator sim = new(
            Daemon(), Update(), [Healthy("oa", Old, "a"), Healthy("ob", Old, "b"), Healthy("oc", Old, "c")], Nodes("a", "b", "c"));

        ReconcileResult first = sim.Step();
        ReconcileResult second = sim.Step();
        sim.RunUntilSteady();

        Assert.Equal(3, first.Stops.Count);
        Assert.Empty(first.Launches);
        Assert.Equal(["a", "b", "c"], second.Launches.Select(l => l.InstanceId));
        Assert.All(sim.Live, t => Assert.Equal(New, t.DeploymentId));
    }

    [Fact]
    public void A_rolling_update_with_minimum_50_keeps_half_the_instances_healthy_and_never_doubles_up()
    {
        ServiceNode[] nodes = Nodes("a", "b", "c", "d");
        ServiceSimulator sim = new(Daemon(min: 50), Update(), [.. nodes.Select(n => Healthy($"o{n.InstanceId}", Old, n.InstanceId))], nodes);

        sim.RunUntilSteady(s =>
        {
            int healthyInstances = s.Live.Where(t => t.HealthStatus == "HEALTHY" && t.LastStatus == "RUNNING")
                .Select(t => t.InstanceId).Distinct().Count();
            Assert.True(healthyInstances >= 2, $"{healthyInstances} instances with a healthy task");
            Assert.All(s.Live.GroupBy(t => t.InstanceId), g => Assert.Single(g));
        });

        Assert.Equal(4, sim.Live.Count(t => t.DeploymentId == New));
        Assert.Equal("INACTIVE", sim.Deployments.Single(d => d.Id == Old).Status);
    }

    [Fact]
    public void An_old_task_next_to_a_healthy_new_one_is_stopped_without_spending_the_budget()
    {
        ServiceTask[] tasks = [Healthy("oa", Old, "a"), Healthy("na", New, "a"), Healthy("ob", Old, "b")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Daemon(min: 100), Update(), tasks, Nodes("a", "b")));

        Assert.Equal(["oa"], result.Stops.Select(s => s.TaskId));
    }
}
