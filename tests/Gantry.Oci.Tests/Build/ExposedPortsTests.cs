using Gantry.Oci.Build;

namespace Gantry.Oci.Tests.Build;

public sealed class ExposedPortsTests
{
    [Theory]
    [InlineData("80", "80/tcp")]
    [InlineData("80/tcp", "80/tcp")]
    [InlineData("53/UDP", "53/udp")]
    [InlineData("9000/sctp", "9000/sctp")]
    public void A_port_spec_is_normalized_to_port_and_protocol(string spec, string expected) =>
        Assert.Equal(expected, ExposedPorts.Normalize(spec));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("http")]
    [InlineData("80/icmp")]
    [InlineData("-1")]
    public void An_invalid_port_spec_is_refused(string spec) =>
        Assert.Throws<ArgumentException>(() => ExposedPorts.Normalize(spec));
}
