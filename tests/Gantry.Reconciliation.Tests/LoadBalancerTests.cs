using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

/// <summary>Load-balanced services: health gated on the targets, the grace period, unhealthy replacement and draining.</summary>
public class LoadBalancerTests
{
    private const string Group = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
    private const string Other = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api/fedcba9876543210";

    private static ServiceSpec Balanced(int desired, int min = 100, int max = 200, bool breaker = false, TimeSpan? grace = null) =>
        Replica(desired, min, max, breaker, grace: grace) with { LoadBalanced = true };

    private static ServiceTask In(ServiceTask task, params (string Group, string? State)[] targets) => task with
    {
        Registered = true,
        Targets = [.. targets.Select(t => new TargetFact(t.Group, "10.0.0.9", 8080, t.State,
            t.State == "unhealthy" ? "Health checks failed with these codes: [503]" : null))],
    };

    [Fact]
    public void A_new_task_with_a_healthy_container_but_targets_not_yet_healthy_does_not_let_old_tasks_stop()
    {
        ServiceTask[] tasks =
        [
            In(Healthy("o1", Old), (Group, "healthy")),
            In(Healthy("n1"), (Group, "initial")),
        ];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks));

        Assert.Empty(result.Stops);
        Assert.Empty(result.Drains);
        Assert.Equal("IN_PROGRESS", Get(result, New).RolloutState);
    }

    [Fact]
    public void Without_a_container_health_check_a_balanced_task_counts_by_its_targets_alone_not_after_40_seconds()
    {
        // Old tasks RUNNING for 10 s with healthy targets: healthy (the 40 s settle time is for tasks without a load
        // balancer), so an update may not drain them before the new tasks' targets are healthy.
        ServiceTask Young(string id, string deployment) =>
            Healthy(id, deployment, age: TimeSpan.FromSeconds(10)) with { HasHealthCheck = false, HealthStatus = "UNKNOWN", EverHealthy = false };
        ServiceTask[] tasks = [In(Young("o1", Old), (Group, "healthy")), In(Young("n1", New), (Group, "initial"))];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks));

        Assert.Empty(result.Drains);
        Assert.Empty(result.Stops);

        tasks = [tasks[0], In(Young("n1", New), (Group, "healthy"))];
        Assert.Equal([new TaskStop("o1", "Scaling activity initiated by (deployment ecs-svc/1)")],
            ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks)).Drains);
    }

    [Fact]
    public void A_task_counts_as_healthy_only_when_healthy_in_every_group_and_unregistered_tasks_never()
    {
        ServiceTask[] partly = [In(Healthy("o1", Old), (Group, "healthy"), (Other, "healthy")), In(Healthy("n1"), (Group, "healthy"), (Other, "initial"))];
        Assert.Empty(ServiceReconciler.Reconcile(Input(Balanced(1), Update(), partly)).Drains);

        ServiceTask[] unregistered = [In(Healthy("o1", Old), (Group, "healthy")), Healthy("n1")];
        Assert.Empty(ServiceReconciler.Reconcile(Input(Balanced(1), Update(), unregistered)).Drains);

        ServiceTask[] healthy = [In(Healthy("o1", Old), (Group, "healthy")), In(Healthy("n1"), (Group, "healthy"), (Other, "healthy"))];
        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), healthy));
        Assert.Equal([new TaskStop("o1", "Scaling activity initiated by (deployment ecs-svc/1)")], result.Drains);
    }

    [Fact]
    public void Stopping_a_registered_task_drains_it_first_and_it_is_stopped_when_the_delay_has_passed()
    {
        ServiceTask[] tasks = [In(Healthy("o1", Old), (Group, "healthy")), In(Healthy("n1"), (Group, "healthy"))];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks));

        Assert.Equal([new TaskStop("o1", "Scaling activity initiated by (deployment ecs-svc/1)")], result.Drains);
        Assert.Empty(result.Stops);
        Assert.Equal(["(service web) has begun draining connections on 1 tasks."], result.Events);

        var draining = new TaskDraining(T0.AddSeconds(30), "Scaling activity initiated by (deployment ecs-svc/1)");
        tasks = [tasks[0] with { Registered = false, Draining = draining }, tasks[1]];
        ReconcileResult waiting = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks, now: T0.AddSeconds(29)));
        Assert.Empty(waiting.Stops);
        Assert.Empty(waiting.Drains);
        Assert.Empty(waiting.Launches);
        Assert.False(waiting.SteadyState);
        Assert.Equal("ACTIVE", Get(waiting, Old).Status);

        ReconcileResult done = ServiceReconciler.Reconcile(Input(Balanced(1), Update(), tasks, now: T0.AddSeconds(30)));
        Assert.Equal([new TaskStop("o1", "Scaling activity initiated by (deployment ecs-svc/1)")], done.Stops);
        Assert.Equal(["(service web) has stopped 1 running tasks: (task o1)."], done.Events);
    }

    [Fact]
    public void A_task_unhealthy_in_its_target_group_after_the_grace_period_is_replaced()
    {
        ServiceTask[] tasks = [In(Healthy("n1", age: TimeSpan.FromSeconds(90)), (Group, "unhealthy"))];
        DeploymentState[] completed = [Deployment(New, rollout: "COMPLETED")];

        ReconcileResult inGrace = ServiceReconciler.Reconcile(Input(Balanced(1, grace: TimeSpan.FromSeconds(120)), completed, tasks));
        Assert.Empty(inGrace.Drains);
        Assert.Empty(inGrace.Launches);
        Assert.False(inGrace.SteadyState);

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1, grace: TimeSpan.FromSeconds(60)), completed, tasks));
        Assert.Equal([new TaskStop("n1", $"Task failed ELB health checks in (target-group {Group})")], result.Drains);
        Assert.Equal(1, Launched(result));
        Assert.Equal(
            [$"(service web) (task n1) (port 8080) is unhealthy in (target-group {Group}) due to (reason Health checks failed with these codes: [503]).",
             "(service web) has begun draining connections on 1 tasks."],
            result.Events);
    }

    [Fact]
    public void An_instance_target_is_named_by_its_instance_in_the_unhealthy_event()
    {
        ServiceTask task = Healthy("n1") with { Registered = true, Targets = [new TargetFact(Group, "i-0abc", 32768, "unhealthy", "Request timed out")] };

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(1), [Deployment(New, rollout: "COMPLETED")], [task]));

        Assert.Contains($"(service web) (instance i-0abc) (port 32768) is unhealthy in (target-group {Group}) due to (reason Request timed out).", result.Events);
    }

    [Fact]
    public void Tasks_that_never_turned_healthy_in_their_target_group_trip_the_circuit_breaker()
    {
        // Stopped after failing ELB health checks, never healthy there: the controller reports them as never healthy.
        ServiceTask[] tasks = [.. Many(3, id => Failed(id), "f"), In(Healthy("n1", age: TimeSpan.FromSeconds(10)) with { EverHealthy = false }, (Group, "initial"))];

        ReconcileResult result = ServiceReconciler.Reconcile(Input(Balanced(2, breaker: true), [Deployment(New)], tasks));

        Assert.Equal("FAILED", Get(result, New).RolloutState);
    }

    [Fact]
    public void A_service_steady_on_healthy_targets_is_steady_and_a_task_that_stopped_on_its_own_is_just_replaced()
    {
        DeploymentState[] completed = [Deployment(New, rollout: "COMPLETED")];
        ReconcileResult steady = ServiceReconciler.Reconcile(Input(Balanced(1), completed, [In(Healthy("n1"), (Group, "healthy"))]));
        Assert.True(steady.SteadyState);

        ServiceTask stopped = Healthy("n1") with { LastStatus = "STOPPED", DesiredStatus = "STOPPED", StoppedAt = T0 };
        ReconcileResult replaced = ServiceReconciler.Reconcile(Input(Balanced(1), completed, [stopped]));
        Assert.Empty(replaced.Drains);
        Assert.Empty(replaced.Stops);
        Assert.Equal(1, Launched(replaced));
    }
}
