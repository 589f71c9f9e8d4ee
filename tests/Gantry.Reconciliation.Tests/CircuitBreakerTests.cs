using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class CircuitBreakerTests
{
    [Theory]
    [InlineData(1, 3)] // minimum 3
    [InlineData(6, 3)]
    [InlineData(7, 4)] // 0.5 × 7 rounded up
    [InlineData(10, 5)]
    [InlineData(1000, 200)] // maximum 200
    public void The_breaker_trips_exactly_at_the_threshold(int desired, int threshold)
    {
        ServiceSpec spec = Replica(desired, breaker: true);

        ReconcileResult below = ServiceReconciler.Reconcile(
            Input(spec, [Deployment(New)], Many(threshold - 1, id => Failed(id), "f")));
        ReconcileResult at = ServiceReconciler.Reconcile(
            Input(spec, [Deployment(New)], Many(threshold, id => Failed(id), "f")));

        Assert.Equal("IN_PROGRESS", Get(below, New).RolloutState);
        Assert.Equal(threshold - 1, Get(below, New).FailedTasks);
        Assert.True(Launched(below) > 0);

        DeploymentState failed = Get(at, New);
        Assert.Equal("FAILED", failed.RolloutState);
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start.", failed.RolloutStateReason);
        Assert.Equal(threshold, failed.FailedTasks);
        Assert.Equal(T0, failed.UpdatedAt);
        Assert.Empty(at.Launches);
        Assert.Equal(["(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start."], at.Events);
    }

    [Fact]
    public void A_tripped_breaker_with_rollback_names_the_last_completed_task_definition()
    {
        DeploymentState older = Deployment("ecs-svc/0", "INACTIVE", "COMPLETED", arn: "td:0", created: T0.AddDays(-1));
        ServiceTask[] tasks = [.. Many(6, id => Healthy(id, Old), "o"), .. Many(3, id => Failed(id), "f")];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(6, breaker: true, rollback: true), [older, .. Update()], tasks));

        Assert.Equal(OldArn, result.NewDeploymentTaskDefinitionArn);
        Assert.Equal(
            [
                "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
                "(service web) rolling back to deployment ecs-svc/1.",
            ],
            result.Events);
        Assert.Empty(result.Launches);
        Assert.Empty(result.Stops);
        Assert.Equal("ACTIVE", Get(result, Old).Status);
    }

    [Fact]
    public void Without_a_completed_deployment_there_is_nothing_to_roll_back_to_and_launching_stops()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(6, breaker: true, rollback: true), [Deployment(New)], Many(3, id => Failed(id), "f")));

        Assert.Equal("FAILED", Get(result, New).RolloutState);
        Assert.Null(result.NewDeploymentTaskDefinitionArn);
        Assert.Equal(["(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start."], result.Events);
        Assert.Empty(result.Launches);
    }

    [Fact]
    public void Without_rollback_a_failed_deployment_launches_nothing_and_keeps_the_old_tasks()
    {
        DeploymentState[] deployments = [Deployment(Old, "ACTIVE", "COMPLETED"), Deployment(New, rollout: "FAILED", failed: 3)];
        ServiceTask[] tasks = [.. Many(6, id => Healthy(id, Old), "o"), .. Many(3, id => Failed(id), "f")];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Replica(6, 0, 200, breaker: true), deployments, tasks));

        Assert.Empty(result.Launches);
        Assert.Empty(result.Stops);
        Assert.Null(result.NewDeploymentTaskDefinitionArn);
        Assert.Empty(result.Events);
        Assert.False(result.SteadyState);
        Assert.Same(deployments[1], Get(result, New));
    }

    [Fact]
    public void A_disabled_breaker_counts_failures_but_keeps_launching()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(6, breaker: false), [Deployment(New)], Many(10, id => Failed(id), "f")));

        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState);
        Assert.Equal(10, Get(result, New).FailedTasks);
        Assert.Equal(6, Launched(result));
    }

    [Fact]
    public void Failures_of_older_deployments_do_not_count()
    {
        ReconcileResult result = ServiceReconciler.Reconcile(Input(
            Replica(6, breaker: true), Update(), [.. Many(6, id => Healthy(id, Old), "o"), .. Many(5, id => Failed(id, Old), "f")]));

        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState);
        Assert.Equal(0, Get(result, New).FailedTasks);
    }

    [Fact]
    public void A_task_becoming_healthy_resets_the_count_to_the_failures_after_it()
    {
        ServiceTask earlyFailure = Failed("early") with { StartedAt = T0.AddMinutes(-10), StoppedAt = T0.AddMinutes(-9) };
        ServiceTask good = Healthy("good", age: TimeSpan.FromMinutes(8));
        ServiceTask lateFailure = Failed("late");

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(6, breaker: true), [Deployment(New)], [earlyFailure, good, lateFailure, Failed("late2")]));

        Assert.Equal(2, Get(result, New).FailedTasks);
        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState);
    }

    [Fact]
    public void A_failing_update_rolls_back_and_the_service_settles_on_the_old_task_definition()
    {
        ServiceSimulator sim = new(
            Replica(6, 100, 200, breaker: true, rollback: true), Update(), Many(6, id => Healthy(id, Old), "o"), Nodes("a", "b"));
        sim.Failing.Add(NewArn);

        sim.RunUntilSteady(s => Assert.True(s.HealthyCount >= 6, $"healthy {s.HealthyCount}"));

        DeploymentState primary = sim.Deployments.Single(d => d.Status == "PRIMARY");
        Assert.Equal(OldArn, primary.TaskDefinitionArn);
        Assert.Equal("COMPLETED", primary.RolloutState);
        Assert.Equal("FAILED", sim.Deployments.Single(d => d.Id == New).RolloutState);
        Assert.Equal("INACTIVE", sim.Deployments.Single(d => d.Id == New).Status);
        Assert.All(sim.Live, t => Assert.Equal(OldArn, sim.TaskDefinitionOf(t)));
        Assert.Single(sim.Events, e => e == "(service web) rolling back to deployment ecs-svc/1.");
        Assert.Single(sim.Events, e => e == "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.");
    }

    [Fact]
    public void A_failed_deployment_without_tasks_stays_ACTIVE_while_its_rollback_runs_and_goes_INACTIVE_after()
    {
        const string Rollback = "ecs-svc/3";
        DeploymentState failed = Deployment(New, "ACTIVE", "FAILED");
        ReconcileResult rolling = ServiceReconciler.Reconcile(Input(Replica(6, 50, 200, breaker: true, rollback: true),
            [Deployment(Rollback, arn: OldArn, created: T0.AddSeconds(-10)), failed], Many(2, id => Healthy(id, Rollback), "r")));
        Assert.Equal("ACTIVE", Get(rolling, New).Status);
        Assert.Equal("FAILED", Get(rolling, New).RolloutState);

        ReconcileResult done = ServiceReconciler.Reconcile(Input(Replica(6, 50, 200, breaker: true, rollback: true),
            [Deployment(Rollback, arn: OldArn, created: T0.AddSeconds(-10)), failed], Many(6, id => Healthy(id, Rollback), "r")));
        Assert.Equal("COMPLETED", Get(done, Rollback).RolloutState);
        Assert.Equal("INACTIVE", Get(done, New).Status);
    }

    [Fact]
    public void Daemon_threshold_uses_the_number_of_eligible_instances()
    {
        ServiceNode[] nodes = [.. Enumerable.Range(1, 10).Select(i => Node($"n{i}"))];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(
            Daemon(breaker: true), [Deployment(New)], Many(4, id => Failed(id, node: "n1"), "f"), nodes));

        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState); // threshold 5 for 10 instances
        Assert.Equal(10, Launched(result));
    }
}
