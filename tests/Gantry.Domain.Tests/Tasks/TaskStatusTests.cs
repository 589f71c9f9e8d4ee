using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class TaskStatusTests
{
    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var a in TaskStatus.Order.Append("UNKNOWN"))
        {
            foreach (var b in TaskStatus.Order.Append("UNKNOWN"))
            {
                pairs.Add(a, b);
            }
        }
        return pairs;
    }

    [Fact]
    public void Statuses_are_in_the_order_ecs_walks_them()
    {
        Assert.Equal(
            ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED", "DELETED"],
            TaskStatus.Order);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Forward_never_goes_backwards(string current, string reported)
    {
        var next = TaskStatus.Forward(current, reported);

        Assert.True(next == current || next == reported);
        if (TaskStatus.Order.Contains(current))
        {
            Assert.True(TaskStatus.Order.ToList().IndexOf(next) >= TaskStatus.Order.ToList().IndexOf(current));
        }
    }

    [Fact]
    public void Forward_takes_a_later_report_and_ignores_an_earlier_or_unknown_one()
    {
        Assert.Equal(TaskStatus.Running, TaskStatus.Forward(TaskStatus.Pending, TaskStatus.Running));
        Assert.Equal(TaskStatus.Running, TaskStatus.Forward(TaskStatus.Running, TaskStatus.Pending));
        Assert.Equal(TaskStatus.Stopped, TaskStatus.Forward(TaskStatus.Stopped, TaskStatus.Running));
        Assert.Equal(TaskStatus.Running, TaskStatus.Forward(TaskStatus.Running, "BOGUS"));
        Assert.Equal(TaskStatus.Pending, TaskStatus.Forward("BOGUS", TaskStatus.Pending));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Max_is_the_later_of_two_in_either_order(string a, string b)
    {
        var known = TaskStatus.Order.ToList();
        if (known.Contains(a) && known.Contains(b))
        {
            Assert.Equal(TaskStatus.Max(a, b), TaskStatus.Max(b, a));
            Assert.Equal(Math.Max(known.IndexOf(a), known.IndexOf(b)), known.IndexOf(TaskStatus.Max(a, b)));
        }
    }

    [Theory]
    [InlineData("PROVISIONING", true, false, false)]
    [InlineData("PENDING", true, false, false)]
    [InlineData("ACTIVATING", true, false, false)]
    [InlineData("RUNNING", false, false, false)]
    [InlineData("DEACTIVATING", false, true, false)]
    [InlineData("STOPPING", false, true, false)]
    [InlineData("DEPROVISIONING", false, true, false)]
    [InlineData("STOPPED", false, true, true)]
    [InlineData("DELETED", false, true, true)]
    [InlineData("BOGUS", false, false, false)]
    [InlineData(null, false, false, false)]
    public void Each_status_is_starting_stopping_or_terminal_as_ecs_defines(string? status, bool starting, bool stopping, bool terminal)
    {
        Assert.Equal(starting, TaskStatus.IsStarting(status));
        Assert.Equal(stopping, TaskStatus.IsStopping(status));
        Assert.Equal(terminal, TaskStatus.IsTerminal(status));
    }

    [Fact]
    public void A_container_status_only_moves_forward()
    {
        Assert.Equal(["PENDING", "RUNNING", "STOPPED"], ContainerStatus.Order);
        Assert.Equal(ContainerStatus.Running, ContainerStatus.Forward(ContainerStatus.Pending, ContainerStatus.Running));
        Assert.Equal(ContainerStatus.Stopped, ContainerStatus.Forward(ContainerStatus.Stopped, ContainerStatus.Running));
        Assert.Equal(ContainerStatus.Running, ContainerStatus.Forward(ContainerStatus.Running, "BOGUS"));
    }
}
