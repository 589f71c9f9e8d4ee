using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests;

public sealed class TargetKeyTests
{
    [Fact]
    public void A_target_reads_as_ELB_writes_it() => Assert.Equal("10.0.1.5:80", new TargetKey("10.0.1.5", 80).ToString());
}
