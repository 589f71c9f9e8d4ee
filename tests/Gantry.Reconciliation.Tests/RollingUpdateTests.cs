using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class RollingUpdateTests
{
    [Theory]
    // min%, max%, launched, stopped in the first step of replacing 6 healthy tasks
    [InlineData(100, 200, 6, 0)] // launch before stopping
    [InlineData(0, 100, 0, 6)] // stop first
    [InlineData(50, 200, 6, 3)]
    [InlineData(50, 100, 0, 3)] // desired 4 × 50% → the docs' "stop two before starting two", scaled to 6
    [InlineData(100, 150, 3, 0)]
    [InlineData(67, 100, 0, 1)] // ceil(6 × 0.67) = 5 healthy must stay
    public void The_first_step_respects_minimum_healthy_and_maximum_percent(int min, int max, int launched, int stopped)
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(6, min, max), Update(), Many(6, id => Healthy(id, Old), "o")));

        Assert.Equal(launched, Launched(result));
        Assert.Equal(stopped, result.Stops.Count);
        Assert.All(result.Stops, s => Assert.StartsWith("o", s.TaskId, StringComparison.Ordinal));
        Assert.All(result.Stops, s => Assert.Equal("Scaling activity initiated by (deployment ecs-svc/1)", s.Reason));
    }

    [Fact]
    public void Desired_4_min_50_lets_the_scheduler_stop_two_old_tasks_before_starting_two_new_ones()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(4, 50, 100), Update(), Many(4, id => Healthy(id, Old), "o")));

        Assert.Equal(0, Launched(result));
        Assert.Equal(2, result.Stops.Count);
    }

    [Fact]
    public void Old_tasks_that_are_not_healthy_go_first_then_the_oldest()
    {
        ServiceTask[] tasks =
        [
            Healthy("young", Old, age: TimeSpan.FromMinutes(1)),
            Healthy("ancient", Old, age: TimeSpan.FromHours(5)),
            Healthy("middle", Old, age: TimeSpan.FromMinutes(30)),
            Pending("pending", Old),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(4, 50, 100), Update(), tasks));

        // healthy 3, minimum 2: the pending one is free, then one healthy (the oldest).
        Assert.Equal(["pending", "ancient"], result.Stops.Select(s => s.TaskId));
    }

    [Fact]
    public void Min_50_max_200_desired_6_never_drops_below_3_healthy_and_converges()
    {
        ServiceSimulator sim = new(Replica(6, 50, 200), Update(), Many(6, id => Healthy(id, Old), "o"), Nodes("a", "b", "c"));
        List<int> healthyAfterEachStep = [];

        int steps = sim.RunUntilSteady(s =>
        {
            healthyAfterEachStep.Add(s.HealthyCount);
            Assert.True(s.HealthyCount >= 3, $"healthy dropped to {s.HealthyCount}");
            Assert.True(s.Live.Count() <= 12, $"live rose to {s.Live.Count()}");
        });

        Assert.Equal([3, 6, 6], healthyAfterEachStep);
        Assert.Equal(3, steps);
        Assert.All(sim.Live, t => Assert.Equal(New, t.DeploymentId));
        Assert.Equal(6, sim.HealthyCount);
        Assert.Equal("COMPLETED", sim.Deployments.Single(d => d.Id == New).RolloutState);
        Assert.Equal("INACTIVE", sim.Deployments.Single(d => d.Id == Old).Status);
        Assert.Contains("(service web) (deployment ecs-svc/2) deployment completed.", sim.Events);
        Assert.Equal("(service web) has reached a steady state.", sim.Events[^1]);
    }

    [Theory]
    [InlineData(6, 100, 200)]
    [InlineData(6, 0, 100)]
    [InlineData(6, 50, 100)]
    [InlineData(6, 50, 150)]
    [InlineData(5, 100, 120)] // surge of one at a time
    [InlineData(7, 75, 125)]
    [InlineData(1, 0, 100)]
    [InlineData(1, 100, 200)]
    public void Every_configuration_keeps_its_bounds_on_every_step_and_converges(int desired, int min, int max)
    {
        int minHealthy = (desired * min + 99) / 100;
        int maxTotal = Math.Max(desired * max / 100, desired);
        ServiceSimulator sim = new(Replica(desired, min, max), Update(), Many(desired, id => Healthy(id, Old), "o"), Nodes("a", "b"));

        sim.RunUntilSteady(s =>
        {
            Assert.True(s.HealthyCount >= minHealthy, $"healthy {s.HealthyCount} < {minHealthy}");
            Assert.True(s.Live.Count() <= maxTotal, $"live {s.Live.Count()} > {maxTotal}");
        });

        Assert.All(sim.Live, t => Assert.Equal(New, t.DeploymentId));
        Assert.Equal(desired, sim.HealthyCount);
    }

    [Fact]
    public void Min_100_max_200_launches_all_new_tasks_before_stopping_any_old_one()
    {
        ServiceSimulator sim = new(Replica(6, 100, 200), Update(), Many(6, id => Healthy(id, Old), "o"), Nodes("a"));

        ReconcileResult first = sim.Step();
        ReconcileResult second = sim.Step();

        Assert.Equal((6, 0), (Launched(first), first.Stops.Count));
        Assert.Equal((0, 6), (Launched(second), second.Stops.Count));
    }

    [Fact]
    public void Min_0_max_100_stops_all_old_tasks_first_then_launches()
    {
        ServiceSimulator sim = new(Replica(6, 0, 100), Update(), Many(6, id => Healthy(id, Old), "o"), Nodes("a"));

        ReconcileResult first = sim.Step();
        ReconcileResult second = sim.Step();

        Assert.Equal((0, 6), (Launched(first), first.Stops.Count));
        Assert.Equal((6, 0), (Launched(second), second.Stops.Count));
        Assert.Equal("INACTIVE", Get(second, Old).Status);
    }

    [Fact]
    public void Several_old_deployments_all_drain_to_zero()
    {
        DeploymentState older = Deployment("ecs-svc/0", "ACTIVE", "COMPLETED", arn: "td:0", created: T0.AddHours(-3));
        DeploymentState[] deployments = [older, Deployment(Old, "ACTIVE", "IN_PROGRESS"), Deployment(New)];
        ServiceTask[] tasks = [Healthy("z1", "ecs-svc/0"), Healthy("z2", "ecs-svc/0"), Healthy("o1", Old), Healthy("o2", Old)];
        ServiceSimulator sim = new(Replica(4, 50, 200), deployments, tasks, Nodes("a"));

        sim.RunUntilSteady(s => Assert.True(s.HealthyCount >= 2));

        Assert.All(sim.Deployments.Where(d => d.Id != New), d => Assert.Equal("INACTIVE", d.Status));
    }

    [Fact]
    public void The_same_input_gives_the_same_result_mid_rollout()
    {
        ServiceTask[] tasks =
        [
            .. Many(3, id => Healthy(id, Old), "o"), .. Many(2, id => Healthy(id), "n"), Pending("p"), Failed("f"),
        ];
        ReconcileInput input = Input(Replica(6, 50, 200, breaker: true), Update(), tasks);

        ReconcileResult first = ServiceReconciler.Reconcile(input);
        ReconcileResult second = ServiceReconciler.Reconcile(input);

        Assert.Equal(first.Launches, second.Launches);
        Assert.Equal(first.Stops, second.Stops);
        Assert.Equal(first.Deployments, second.Deployments);
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.SteadyState, second.SteadyState);
        Assert.Equal(1, Get(first, New).FailedTasks);
    }
}
