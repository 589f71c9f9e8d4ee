using System.Net;
using Gantry.Api.Elbv2;
using Gantry.Domain.Errors;

namespace Gantry.Api.Tests.Elbv2;

public sealed class LoadBalancerAddressPoolTests
{
    [Fact]
    public void The_first_address_no_load_balancer_uses_is_taken_skipping_network_and_broadcast()
    {
        var pool = new LoadBalancerAddressPool(IPNetwork.Parse("127.0.100.0/30"));
        Assert.Equal(IPAddress.Parse("127.0.100.1"), pool.Take([]));
        Assert.Equal(IPAddress.Parse("127.0.100.2"), pool.Take(["127.0.100.1"]));
    }

    [Fact]
    public void An_exhausted_pool_is_a_clear_error_naming_it()
    {
        var pool = new LoadBalancerAddressPool(IPNetwork.Parse("127.0.100.0/30"));
        var failure = Assert.Throws<AwsException>(() => pool.Take(["127.0.100.1", "127.0.100.2"]));
        Assert.Equal("TooManyLoadBalancersException", failure.Type);
        Assert.Contains("127.0.100.0/30 is exhausted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_address_pool_has_that_address()
    {
        Assert.Equal(IPAddress.Parse("10.1.2.3"), new LoadBalancerAddressPool(IPNetwork.Parse("10.1.2.3/32")).Take([]));
    }
}
