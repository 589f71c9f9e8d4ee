using Gantry.Reconciliation;
using static Gantry.Reconciliation.Tests.Build;

namespace Gantry.Reconciliation.Tests;

public class DrainingTests
{
    private static readonly DeploymentState[] Completed = [Deployment(New, rollout: "COMPLETED")];

    [Theory]
    // min%, max%, launched, stopped in the first step after instance "a" (4 of 4 tasks) starts draining
    [InlineData(100, 200, 4, 0)]
    [InlineData(50, 200, 4, 2)]
    [InlineData(50, 100, 0, 2)]
    [InlineData(0, 100, 0, 4)]
    public void Tasks_on_a_draining_instance_are_replaced_within_the_percentages(int min, int max, int launched, int stopped)
    {
        ServiceNode[] nodes = [Node("a", active: false, draining: true), Node("b")];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(4, min, max), Completed, Many(4, id => Healthy(id, node: "a"), "a"), nodes));

        Assert.Equal(launched, Launched(result));
        Assert.Equal(stopped, result.Stops.Count);
        Assert.All(result.Stops, s => Assert.Equal("Scaling activity initiated by (deployment ecs-svc/2)", s.Reason));
        Assert.False(result.SteadyState);
    }

    [Theory]
    [InlineData(100, 200)]
    [InlineData(50, 100)]
    [InlineData(0, 100)]
    [InlineData(75, 125)]
    public void Draining_moves_every_task_while_keeping_the_bounds(int min, int max)
    {
        const int desired = 4;
        int minHealthy = (desired * min + 99) / 100;
        int maxTotal = Math.Max(desired * max / 100, desired);
        ServiceSimulator sim = new(
            Replica(desired, min, max),
            Completed,
            [Healthy("a1", node: "a"), Healthy("a2", node: "a"), Healthy("b1", node: "b"), Healthy("b2", node: "b")],
            [Node("a", active: false, draining: true), Node("b"), Node("c")]);

        sim.RunUntilSteady(s =>
        {
            Assert.True(s.HealthyCount >= minHealthy, $"healthy {s.HealthyCount} < {minHealthy}");
            Assert.True(s.Live.Count() <= maxTotal, $"live {s.Live.Count()} > {maxTotal}");
        });

        Assert.DoesNotContain(sim.Live, t => t.InstanceId == "a");
        Assert.Equal(desired, sim.HealthyCount);
    }

    [Fact]
    public void A_task_stuck_on_a_draining_instance_keeps_the_service_out_of_steady_state()
    {
        // min 100 / max 100: neither a replacement nor a stop is allowed.
        ServiceNode[] nodes = [Node("a", active: false, draining: true), Node("b")];

        ReconcileResult result = ServiceReconciler.Reconcile(
            Input(Replica(2, 100, 100), Completed, [Healthy("a1", node: "a"), Healthy("b1", node: "b")], nodes));

        Assert.Empty(result.Launches);
        Assert.Empty(result.Stops);
        Assert.False(result.SteadyState);
    }
}
