using Gantry.Scheduling;
using static Gantry.Scheduling.Tests.Build;

namespace Gantry.Scheduling.Tests;

public class PlacementConstraintTests
{
    [Fact]
    public void Distinct_instance_places_one_task_per_instance_then_fails_on_every_instance()
    {
        Candidate[] cluster = [Instance("a"), Instance("b"), Instance("c")];

        PlacementResult result = Placement.Place(
            Demand(constraints: [DistinctInstance()], strategies: Binpack("cpu")), 4, cluster, new Random(1));

        Assert.Equal(["a", "b", "c"], Ids(result));
        Assert.Equal(3, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Equal(PlacementFailureReasons.DistinctInstance, f.Reason));
        Assert.Equal([Arn("a"), Arn("b"), Arn("c")], result.Failures.Select(f => f.Arn));
    }

    [Fact]
    public void Distinct_instance_only_looks_at_the_same_group()
    {
        Candidate[] cluster = [Instance("a", tasks: [Task("family:other")]), Instance("b", tasks: [Task("family:web")])];

        PlacementResult result = Placement.Place(Demand(constraints: [DistinctInstance()]), 1, cluster, new Random(1));

        Assert.Equal(["a"], Ids(result));
    }

    [Fact]
    public void Distinct_instance_with_an_expression_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Placement.Place(
            Demand(constraints: [new PlacementConstraintSpec("distinctInstance", "agentConnected == true")]),
            1, [Instance("a")], new Random(1)));
    }

    [Fact]
    public void Member_of_restricts_placement_to_matching_instances()
    {
        Candidate[] cluster =
        [
            Instance("a", attributes: new Dictionary<string, string?> { ["ecs.instance-type"] = "m5.large" }),
            Instance("b", attributes: new Dictionary<string, string?> { ["ecs.instance-type"] = "t2.small" }),
        ];

        PlacementResult result = Placement.Place(
            Demand(constraints: [MemberOf("attribute:ecs.instance-type =~ t2.*")]), 3, cluster, new Random(1));

        Assert.Equal(["b", "b", "b"], Ids(result));
    }

    [Fact]
    public void Member_of_failure_names_the_constraint()
    {
        Candidate[] cluster = [Instance("a")];

        PlacementResult result = Placement.Place(
            Demand(constraints: [MemberOf("attribute:stack == prod")]), 1, cluster, new Random(1));

        Assert.Empty(result.Chosen);
        PlacementFailure failure = Assert.Single(result.Failures);
        Assert.Equal(new PlacementFailure(Arn("a"), PlacementFailureReasons.MemberOf), failure);
    }

    [Fact]
    public void Member_of_task_group_sees_tasks_placed_earlier_in_the_call()
    {
        Candidate[] cluster = [Instance("a"), Instance("b", tasks: [Task("family:web")])];

        PlacementResult result = Placement.Place(
            Demand(constraints: [MemberOf("not(task:group == family:web)")]), 2, cluster, new Random(1));

        Assert.Equal(["a"], Ids(result));
        Assert.Equal(PlacementFailureReasons.MemberOf, Assert.Single(result.Failures, f => f.Arn == Arn("a")).Reason);
    }

    [Fact]
    public void Invalid_member_of_expression_throws_before_looking_at_the_cluster()
    {
        Assert.Throws<ClusterQueryException>(() =>
            Placement.Place(Demand(constraints: [MemberOf("attribute:x ==")]), 1, [], new Random(1)));
        Assert.Throws<ClusterQueryException>(() =>
            Placement.Place(Demand(constraints: [new PlacementConstraintSpec("memberOf", null)]), 1, [], new Random(1)));
    }

    [Fact]
    public void Unknown_constraint_type_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Placement.Place(
            Demand(constraints: [new PlacementConstraintSpec("sameZone", null)]), 1, [Instance("a")], new Random(1)));
    }
}
