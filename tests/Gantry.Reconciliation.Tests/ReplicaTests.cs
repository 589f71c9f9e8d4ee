using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class ReplicaTests
{
    [Fact]
    public void A_fresh_service_launches_the_desired_count_and_lets_the_scheduler_place_them()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(3), [Deployment(New)], []));

        TaskLaunch launch = Assert.Single(result.Launches);
        Assert.Equal(new TaskLaunch(New, 3, null), launch);
        Assert.Empty(result.Stops);
        Assert.Empty(result.Events);
        Assert.False(result.SteadyState);
        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState);
    }

    [Fact]
    public void Pending_tasks_count_so_the_next_step_launches_nothing_more()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(3), [Deployment(New)], Many(3, id => Pending(id), "p")));

        Assert.Empty(result.Launches);
        Assert.Empty(result.Stops);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void Desired_healthy_tasks_complete_the_deployment_and_reach_a_steady_state()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(3), [Deployment(Old, "ACTIVE", "COMPLETED"), Deployment(New)], Many(3, id => Healthy(id), "n")));

        Assert.True(result.SteadyState);
        Assert.Empty(result.Launches);
        Assert.Empty(result.Stops);
        DeploymentState primary = Get(result, New);
        Assert.Equal("COMPLETED", primary.RolloutState);
        Assert.Equal("ECS deployment ecs-svc/2 completed.", primary.RolloutStateReason);
        Assert.Equal(T0, primary.UpdatedAt);
        Assert.Equal("INACTIVE", Get(result, Old).Status);
        Assert.Equal(
            ["(service web) (deployment ecs-svc/2) deployment completed.", "(service web) has reached a steady state."],
            result.Events);
    }

    [Fact]
    public void A_completed_service_stays_steady_and_leaves_its_deployments_untouched()
    {
        DeploymentState[] deployments = [Deployment(New, rollout: "COMPLETED")];
        ReconcileInput input = Input(Replica(2), deployments, Many(2, id => Healthy(id), "n"));

        ReconcileResult first = ServiceReconciler.Reconcile(input);
        ReconcileResult second = ServiceReconciler.Reconcile(input);

        Assert.True(first.SteadyState);
        Assert.Equal(["(service web) has reached a steady state."], first.Events);
        Assert.Same(deployments[0], Assert.Single(first.Deployments));
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Deployments, second.Deployments);
    }

    [Fact]
    public void Tasks_without_a_health_check_count_as_healthy_only_after_40_seconds_running()
    {
        ServiceTask young = new("y", New, "a", "RUNNING", "RUNNING", "UNKNOWN", false, T0.AddSeconds(-39), null, false);
        ServiceTask settled = young with { TaskId = "s", StartedAt = T0.AddSeconds(-40) };

        ReconcileResult notYet = ServiceReconciler.Reconcile(Input(Replica(1), [Deployment(New)], [young]));
        ReconcileResult now = ServiceReconciler.Reconcile(Input(Replica(1), [Deployment(New)], [settled]));

        Assert.False(notYet.SteadyState);
        Assert.Equal("IN_PROGRESS", Get(notYet, New).RolloutState);
        Assert.True(now.SteadyState);
    }

    [Theory]
    [InlineData(3, 5, 200, 2)] // scale up: room for 10
    [InlineData(3, 5, 100, 2)] // maximumPercent bounds the total, not the step: 5 allowed
    [InlineData(0, 4, 200, 4)]
    [InlineData(4, 4, 200, 0)]
    public void Scale_up_launches_the_difference(int running, int desired, int max, int expected)
    {
        ReconcileResult result = ServiceReconciler.Reconcile(Input(
            Replica(desired, max: max), [Deployment(New, rollout: "COMPLETED")], Many(running, id => Healthy(id), "n")));

        Assert.Equal(expected, Launched(result));
        Assert.Empty(result.Stops);
    }

    [Fact]
    public void Scale_down_stops_the_surplus_newest_first_and_says_so()
    {
        ServiceTask[] tasks =
        [
            Healthy("n1", age: TimeSpan.FromMinutes(50)), Healthy("n2", age: TimeSpan.FromMinutes(40)),
            Healthy("n3", age: TimeSpan.FromMinutes(30)), Healthy("n4", age: TimeSpan.FromMinutes(20)),
            Healthy("n5", age: TimeSpan.FromMinutes(10)),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(2), [Deployment(New, rollout: "COMPLETED")], tasks));

        Assert.Empty(result.Launches);
        Assert.Equal(["n5", "n4", "n3"], result.Stops.Select(s => s.TaskId));
        Assert.All(result.Stops, s => Assert.Equal("Scaling activity initiated by (deployment ecs-svc/2)", s.Reason));
        Assert.Equal(["(service web) has stopped 3 running tasks: (task n5) (task n4) (task n3)."], result.Events);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void Scale_down_with_a_capacity_provider_strategy_keeps_the_split_the_strategy_asks_for()
    {
        // FARGATE base 1 weight 1, FARGATE_SPOT weight 3: 8 tasks run 2 + 6; at 4 the strategy asks for 1 + 3.
        Gantry.Scheduling.Capacity.CapacityShare[] strategy = [new("FARGATE", 1, 1), new("FARGATE_SPOT", 0, 3)];
        ServiceTask[] tasks =
        [
            .. Many(2, id => Healthy(id) with { CapacityProvider = "FARGATE" }, "f"),
            .. Many(6, id => Healthy(id) with { CapacityProvider = "FARGATE_SPOT" }, "s"),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(4) with { CapacityStrategy = strategy }, [Deployment(New, rollout: "COMPLETED")], tasks));

        string[] stopped = [.. result.Stops.Select(s => s.TaskId)];
        Assert.Equal(4, stopped.Length);
        Assert.Equal(1, stopped.Count(id => id.StartsWith('f')));
        Assert.Equal(3, stopped.Count(id => id.StartsWith('s')));
    }

    [Fact]
    public void Scale_down_without_a_strategy_ignores_providers()
    {
        ServiceTask[] tasks =
        [
            Healthy("f1", age: TimeSpan.FromMinutes(30)) with { CapacityProvider = "FARGATE" },
            Healthy("f2", age: TimeSpan.FromMinutes(20)) with { CapacityProvider = "FARGATE" },
            Healthy("s1", age: TimeSpan.FromMinutes(40)) with { CapacityProvider = "FARGATE_SPOT" },
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(1), [Deployment(New, rollout: "COMPLETED")], tasks));

        Assert.Equal(["f2", "f1"], result.Stops.Select(s => s.TaskId));
    }

    [Fact]
    public void Scale_down_stops_tasks_that_are_not_healthy_before_healthy_ones()
    {
        ServiceTask[] tasks = [Healthy("h1"), Healthy("h2"), Pending("p1")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(2), [Deployment(New, rollout: "COMPLETED")], tasks));

        Assert.Equal(["p1"], result.Stops.Select(s => s.TaskId));
    }

    [Fact]
    public void Scale_to_zero_stops_everything_and_is_then_steady()
    {
        ReconcileResult stopping = ServiceReconciler.Reconcile(
            Input(Replica(0), [Deployment(New, rollout: "COMPLETED")], Many(3, id => Healthy(id), "n")));
        ReconcileResult after = ServiceReconciler.Reconcile(Input(Replica(0), [Deployment(New, rollout: "COMPLETED")], []));

        Assert.Equal(3, stopping.Stops.Count);
        Assert.True(after.SteadyState);
    }

    [Fact]
    public void Scale_in_simulation_reaches_a_steady_state_with_the_new_count()
    {
        ServiceSimulator sim = new(Replica(6), [Deployment(New, rollout: "COMPLETED")], Many(6, id => Healthy(id), "n"), Nodes("a", "b"));
        sim.Spec = Replica(2);

        sim.RunUntilSteady();

        Assert.Equal(2, sim.Live.Count());
        Assert.Equal(2, sim.HealthyCount);
    }

    [Fact]
    public void Stopped_tasks_of_the_primary_are_replaced()
    {
        ServiceTask stopped = Healthy("gone") with { LastStatus = "STOPPED", DesiredStatus = "STOPPED", StoppedAt = T0 };
        ServiceTask stopping = Healthy("going") with { DesiredStatus = "STOPPED" };

        ReconcileResult result = ServiceReconciler.Reconcile(Input(
            Replica(3), [Deployment(New, rollout: "COMPLETED")], [Healthy("n1"), stopped, stopping]));

        Assert.Equal(2, Launched(result));
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void Tasks_of_an_unknown_deployment_are_drained_like_an_old_deployment()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(Input(
            Replica(1, min: 0, max: 100), [Deployment(New)], [Healthy("x", deployment: "ecs-svc/ghost")]));

        Assert.Equal(["x"], result.Stops.Select(s => s.TaskId));
        Assert.Equal("Scaling activity initiated by (deployment ecs-svc/ghost)", result.Stops[0].Reason);
    }

    [Fact]
    public void The_newest_primary_wins_and_an_older_one_is_demoted()
    {
        DeploymentState stale = Deployment(Old);

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(1), [stale, Deployment(New)], []));

        Assert.Equal(New, Assert.Single(result.Launches).DeploymentId);
        Assert.Equal("INACTIVE", Get(result, Old).Status);
    }

    [Fact]
    public void Without_a_primary_deployment_nothing_is_launched()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(2), [], []));

        Assert.Empty(result.Launches);
        Assert.False(result.SteadyState);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ServiceReconciler.Reconcile(null!));
        Assert.Throws<ArgumentException>(() => ServiceReconciler.Reconcile(
            Input(Replica(1) with { SchedulingStrategy = "BATCH" }, [Deployment(New)], [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceReconciler.Reconcile(Input(Replica(-1), [Deployment(New)], [])));
    }
}
