using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class TaskCounterTests
{
    [Theory]
    [InlineData("PENDING", "PROVISIONING", "PENDING")]
    [InlineData("PENDING", "ACTIVATING", "PENDING")]
    [InlineData("PENDING", "RUNNING", "RUNNING")]
    [InlineData("PENDING", "STOPPED", "NONE")]
    [InlineData("RUNNING", "DEACTIVATING", "RUNNING")]
    [InlineData("RUNNING", "STOPPED", "NONE")]
    [InlineData("NONE", "RUNNING", "NONE")]
    [InlineData("NONE", "STOPPED", "NONE")]
    public void A_task_counts_as_pending_until_running_then_running_until_stopped(string counted, string status, string after)
    {
        Assert.Equal(after, TaskCounter.After(counted, status));
    }
}
