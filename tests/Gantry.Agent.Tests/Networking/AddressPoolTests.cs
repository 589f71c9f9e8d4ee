using System.Net;
using Gantry.Agent.Networking;

namespace Gantry.Agent.Tests.Networking;

/// <summary>Task addresses from a bridge's pool, shared by every agent on the host that uses the bridge.</summary>
public sealed class AddressPoolTests : IDisposable
{
    private static readonly IPAddress Bridge = IPAddress.Parse("10.213.0.1");
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-ipam-").FullName;
    private readonly HashSet<string> _namespaces = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private AddressPool Pool() => new(_directory, Bridge, TimeProvider.System, _namespaces.Contains);

    [Fact]
    public void Two_agents_sharing_a_bridge_never_hand_out_one_address_twice()
    {
        AddressPool[] agents = [Pool(), Pool()];
        var taken = new System.Collections.Concurrent.ConcurrentBag<IPAddress>();
        Parallel.For(0, 200, i => taken.Add(agents[i % 2].Acquire($"task{i}")));
        Assert.Equal(200, taken.Distinct().Count());
        Assert.All(taken, a => Assert.StartsWith("10.213.", a.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_task_keeps_its_address_and_a_released_one_is_handed_out_again()
    {
        var pool = Pool();
        var first = pool.Acquire("a");
        Assert.Equal(IPAddress.Parse("10.213.0.2"), first);
        Assert.Equal(first, Pool().Acquire("a"));
        Assert.Equal(IPAddress.Parse("10.213.0.3"), pool.Acquire("b"));
        pool.Release("a");
        Assert.Equal(first, pool.Acquire("c"));
    }

    [Fact]
    public void An_old_address_whose_task_namespace_is_gone_is_taken_back_and_a_live_or_young_one_is_not()
    {
        var pool = Pool();
        var dead = pool.Acquire("dead");
        var live = pool.Acquire("live");
        var young = pool.Acquire("young");
        _namespaces.Add("live");
        var old = DateTime.UtcNow - AddressPool.StaleAfter - TimeSpan.FromSeconds(5);
        File.SetLastWriteTimeUtc(Path.Combine(_directory, dead.ToString()), old);
        File.SetLastWriteTimeUtc(Path.Combine(_directory, live.ToString()), old);
        Assert.Equal(dead, pool.Acquire("next"));
        Assert.Equal(IPAddress.Parse("10.213.0.5"), pool.Acquire("after"));
        Assert.NotEqual(young, pool.Acquire("last"));
    }

    [Fact]
    public void Allocations_an_older_agent_kept_in_its_state_directory_are_adopted()
    {
        var legacy = Path.Combine(_directory, "state", "ipam");
        Directory.CreateDirectory(legacy);
        File.WriteAllText(Path.Combine(legacy, "10.213.0.9"), "running");
        var shared = Path.Combine(_directory, "shared");
        AddressPool.Adopt(legacy, shared);
        Assert.False(Directory.Exists(legacy));
        Assert.Equal(IPAddress.Parse("10.213.0.9"), new AddressPool(shared, Bridge, TimeProvider.System, _namespaces.Contains).Acquire("running"));
    }
}
