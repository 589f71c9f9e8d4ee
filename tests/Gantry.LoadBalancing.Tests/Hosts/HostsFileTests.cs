using System.Net;
using Gantry.LoadBalancing.Hosts;
using Gantry.LoadBalancing.State;
using Gantry.LoadBalancing.Tests.State;

namespace Gantry.LoadBalancing.Tests.Hosts;

public sealed class HostsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-hosts-").FullName;

    private string HostsPath => Path.Combine(_directory, "hosts");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Maps_each_load_balancer_in_its_block_and_keeps_the_other_lines()
    {
        await File.WriteAllTextAsync(HostsPath, "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
        var hosts = new HostsFile("node-1", HostsPath);

        await hosts.WriteAsync(Snapshot(("front", "127.0.0.7")), default);
        await File.AppendAllTextAsync(HostsPath, "10.1.1.1 added-later\n");
        await hosts.WriteAsync(Snapshot(("front", "127.0.0.7"), ("api", "127.0.0.8")), default);

        Assert.Equal("""
            127.0.0.1 localhost
            ::1 localhost ip6-localhost
            10.1.1.1 added-later
            # gantry load balancers node-1 begin
            127.0.0.8 api-1234567890.us-east-1.elb.amazonaws.com
            127.0.0.7 front-1234567890.us-east-1.elb.amazonaws.com
            # gantry load balancers node-1 end

            """.ReplaceLineEndings("\n"), await File.ReadAllTextAsync(HostsPath));
    }

    [Fact]
    public async Task Removing_the_block_restores_the_file_and_leaves_other_owners_blocks()
    {
        const string Original = "127.0.0.1 localhost\n# gantry load balancers other begin\n127.0.0.9 x.elb.amazonaws.com\n# gantry load balancers other end\n";
        await File.WriteAllTextAsync(HostsPath, Original);
        var hosts = new HostsFile("node-1", HostsPath);
        await hosts.WriteAsync(Snapshot(("front", "127.0.0.7")), default);
        Assert.Contains("127.0.0.7 front-", await File.ReadAllTextAsync(HostsPath), StringComparison.Ordinal);

        await hosts.RemoveAsync(default);

        Assert.Equal(Original, await File.ReadAllTextAsync(HostsPath));
        Assert.Single(Directory.GetFiles(_directory));
    }

    private static LoadBalancingSnapshot Snapshot(params (string Name, string Address)[] balancers) => new(1,
        [.. balancers.Select(b => new BalancerView(ElbFixtures.Balancer(b.Name, b.Address), IPAddress.Parse(b.Address), []))],
        new Dictionary<string, TargetGroupView>());
}
