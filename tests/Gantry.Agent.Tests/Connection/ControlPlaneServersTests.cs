using Gantry.Agent.Connection;

namespace Gantry.Agent.Tests.Connection;

/// <summary>An agent given several replicas moves to the next one round the list when its stream is lost; two callers
/// noticing the same loss move it once.</summary>
public sealed class ControlPlaneServersTests
{
    private static readonly ControlPlaneServer A = new(new Uri("http://10.0.0.1:4566"), new Uri("http://10.0.0.1:4567"));
    private static readonly ControlPlaneServer B = new(new Uri("http://10.0.0.2:4566"), new Uri("http://10.0.0.2:4567"));
    private static readonly ControlPlaneServer C = new(new Uri("http://10.0.0.3:4566"), new Uri("http://10.0.0.3:4567"));

    [Fact]
    public void A_lost_replica_hands_over_to_the_next_one_round_the_list()
    {
        var servers = new ControlPlaneServers([A, B, C]);

        Assert.Equal(A, servers.Current);
        Assert.Equal(B, servers.MoveOn(A));
        Assert.Equal(C, servers.MoveOn(B));
        Assert.Equal(A, servers.MoveOn(C));
    }

    [Fact]
    public void A_loss_already_acted_on_does_not_move_again()
    {
        var servers = new ControlPlaneServers([A, B, C]);

        servers.MoveOn(A);

        Assert.Equal(B, servers.MoveOn(A)); // log shipping noticed the same dead replica late
        Assert.Equal(B, servers.Current);
    }

    [Fact]
    public void The_registry_of_a_replica_is_its_API_endpoint()
    {
        Assert.Equal("10.0.0.2:4566", B.RegistryHost);
        Assert.Equal([new ControlPlaneServer(new Uri("http://cp:4566"), new Uri("http://cp:4567"))],
            new AgentSettings(new Uri("http://cp:4566"), new Uri("http://cp:4567"), null, null, "/tmp/x", null, 0, []).Servers);
    }
}
