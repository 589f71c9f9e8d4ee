using System.Net;

namespace Gantry.Dns.Tests;

public class ResolvConfTests
{
    [Fact]
    public void Every_nameserver_is_kept_in_order_on_port_53_stubs_included()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# generated\nsearch example.com\nnameserver 127.0.0.53\noptions edns0\nnameserver\t10.0.0.2 # office\n; old\nnameserver fe80::1%2\nnameserver not-an-address\n");

            var nameservers = ResolvConf.Nameservers(path);

            Assert.Equal(["127.0.0.53:53", "10.0.0.2:53", "[fe80::1%2]:53"], nameservers.Select(n => n.ToString()));
            Assert.All(nameservers, n => Assert.Equal(53, n.Port));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_has_no_nameservers() =>
        Assert.Empty(ResolvConf.Nameservers("/nonexistent/resolv.conf"));

    [Fact]
    public void The_default_path_is_etc_resolv_conf() =>
        Assert.Equal(File.Exists("/etc/resolv.conf") ? ResolvConf.Nameservers("/etc/resolv.conf") : [], ResolvConf.Nameservers(), EqualityComparer<IPEndPoint>.Default);
}
