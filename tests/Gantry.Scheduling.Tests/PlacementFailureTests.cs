using Gantry.Scheduling;
using static Gantry.Scheduling.Tests.Build;

namespace Gantry.Scheduling.Tests;

public class PlacementFailureTests
{
    [Fact]
    public void Each_rejected_instance_reports_the_resource_it_lacks()
    {
        Candidate[] cluster =
        [
            Instance("low-memory", cpu: 4096, memory: 128),
            Instance("low-cpu", cpu: 100, memory: 4096),
            Instance("port-taken", ports: [8080]),
        ];

        PlacementResult result = Placement.Place(Demand(cpu: 512, memory: 512, ports: [8080]), 1, cluster, new Random(1));

        Assert.Empty(result.Chosen);
        Assert.Equal(
            [
                new PlacementFailure(Arn("low-memory"), "RESOURCE:MEMORY"),
                new PlacementFailure(Arn("low-cpu"), "RESOURCE:CPU"),
                new PlacementFailure(Arn("port-taken"), "RESOURCE:PORTS"),
            ],
            result.Failures);
    }

    [Fact]
    public void Only_the_first_failing_check_is_reported()
    {
        Candidate[] cluster = [Instance("a", cpu: 0, memory: 0, ports: [80], connected: false)];

        PlacementResult result = Placement.Place(Demand(ports: [80]), 1, cluster, new Random(1));

        Assert.Equal(PlacementFailureReasons.Agent, Assert.Single(result.Failures).Reason);
    }

    [Fact]
    public void Disconnected_agent_is_rejected_with_AGENT()
    {
        Candidate[] cluster = [Instance("gone", connected: false), Instance("here")];

        PlacementResult result = Placement.Place(Demand(), 1, cluster, new Random(1));
        PlacementResult blocked = Placement.Place(Demand(), 1, [cluster[0]], new Random(1));

        Assert.Equal(["here"], Ids(result));
        Assert.Equal(new PlacementFailure(Arn("gone"), "AGENT"), Assert.Single(blocked.Failures));
    }

    [Fact]
    public void Empty_cluster_reports_one_failure_without_an_arn()
    {
        PlacementResult result = Placement.Place(Demand(), 2, [], new Random(1));

        Assert.Empty(result.Chosen);
        PlacementFailure failure = Assert.Single(result.Failures);
        Assert.Equal(string.Empty, failure.Arn);
        Assert.Equal("No Container Instances were found in your cluster.", failure.Reason);
    }

    [Fact]
    public void Inactive_instances_are_ignored_and_not_reported()
    {
        PlacementResult onlyDraining = Placement.Place(Demand(), 1, [Instance("draining", active: false)], new Random(1));
        PlacementResult mixed = Placement.Place(
            Demand(), 1, [Instance("draining", active: false), Instance("full", cpu: 0)], new Random(1));

        Assert.Equal(PlacementFailureReasons.NoContainerInstances, Assert.Single(onlyDraining.Failures).Reason);
        Assert.Equal(new PlacementFailure(Arn("full"), "RESOURCE:CPU"), Assert.Single(mixed.Failures));
    }

    [Fact]
    public void Ports_taken_by_earlier_tasks_in_the_call_stop_placement()
    {
        Candidate[] cluster = [Instance("a")];

        PlacementResult result = Placement.Place(Demand(ports: [80]), 2, cluster, new Random(1));

        Assert.Equal(["a"], Ids(result));
        Assert.Equal(new PlacementFailure(Arn("a"), "RESOURCE:PORTS"), Assert.Single(result.Failures));
    }

    [Fact]
    public void A_task_asking_for_the_same_host_port_twice_fits_nowhere()
    {
        PlacementResult result = Placement.Place(Demand(ports: [80, 80]), 1, [Instance("a")], new Random(1));

        Assert.Equal(PlacementFailureReasons.Ports, Assert.Single(result.Failures).Reason);
    }

    [Fact]
    public void Resources_run_out_after_earlier_placements()
    {
        Candidate[] cluster = [Instance("a", cpu: 1024, memory: 4096)];

        PlacementResult result = Placement.Place(Demand(cpu: 512), 3, cluster, new Random(1));

        Assert.Equal(["a", "a"], Ids(result));
        Assert.Equal(new PlacementFailure(Arn("a"), "RESOURCE:CPU"), Assert.Single(result.Failures));
    }

    [Fact]
    public void Required_attributes_must_exist_and_match_their_value()
    {
        Candidate[] cluster =
        [
            Instance("none"),
            Instance("other-value", attributes: new Dictionary<string, string?> { ["ecs.os-type"] = "windows" }),
            Instance("match", attributes: new Dictionary<string, string?>
            {
                ["ecs.os-type"] = "linux",
                ["ecs.capability.task-eni"] = null,
            }),
        ];
        TaskDemand demand = Demand(required: [("ecs.os-type", "linux"), ("ecs.capability.task-eni", null)]);

        PlacementResult placed = Placement.Place(demand, 1, cluster, new Random(1));
        PlacementResult blocked = Placement.Place(demand, 1, cluster[..2], new Random(1));

        Assert.Equal(["match"], Ids(placed));
        Assert.Equal(
            [new PlacementFailure(Arn("none"), "ATTRIBUTE"), new PlacementFailure(Arn("other-value"), "ATTRIBUTE")],
            blocked.Failures);
    }
}
