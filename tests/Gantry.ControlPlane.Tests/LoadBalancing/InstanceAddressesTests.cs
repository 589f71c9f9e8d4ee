using Gantry.ControlPlane.LoadBalancing;

namespace Gantry.ControlPlane.Tests.LoadBalancing;

public sealed class InstanceAddressesTests
{
    [Theory]
    [InlineData("10.1.2.3", "ipv4:127.0.0.1:5000", "10.1.2.3")]
    [InlineData("0.0.0.0", "ipv4:10.0.0.5:41234", "10.0.0.5")]
    [InlineData("", "ipv4:127.0.0.1:41234", "127.0.0.1")]
    [InlineData("::", "ipv6:[::ffff:10.0.0.7]:41234", "10.0.0.7")]
    [InlineData("0.0.0.0", "ipv6:%5B::1%5D:41234", "::1")]
    [InlineData("0.0.0.0", "unix:/tmp/agent.sock", null)]
    public void A_node_is_reached_at_its_publish_address_or_else_where_its_agent_connects_from(string publish, string peer, string? expected) =>
        Assert.Equal(expected, InstanceAddresses.Resolve(publish, peer));
}
