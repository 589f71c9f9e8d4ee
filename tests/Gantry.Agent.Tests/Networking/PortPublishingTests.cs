using Gantry.Agent.Engine;
using Gantry.Agent.Networking;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Networking;

/// <summary>Which ports a task publishes on its node, per network mode and public IP.</summary>
public sealed class PortPublishingTests
{
    private static readonly ContainerDefinition Web = new()
    {
        Name = "web",
        PortMappings =
        [
            new PortMapping { ContainerPort = 18080, HostPort = 18080, Protocol = "tcp" },
            new PortMapping { ContainerPort = 5353, Protocol = "udp" },
            new PortMapping { ContainerPort = 9000 },
        ],
    };

    private static AgentTask Task(string? networkMode, bool publicIp = false, string? address = "10.213.0.7") => new(
        "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef",
        new TaskDefinition { Family = "f", NetworkMode = networkMode, ContainerDefinitions = [Web] }, null, "RUNNING", "PENDING", [], DateTimeOffset.UnixEpoch,
        PrivateIp: address, Launch: new TaskLaunch(networkMode == "awsvpc" ? LaunchTypeValues.FARGATE : LaunchTypeValues.EC2, AssignPublicIp: publicIp));

    [Fact]
    public void An_awsvpc_task_with_a_public_IP_relays_every_container_port_from_the_same_node_port()
    {
        var plan = PortPublishing.Plan(Task("awsvpc", publicIp: true), Web);

        Assert.Equal(
            [new PublishedPortPlan("tcp", 18080, 18080, true), new PublishedPortPlan("udp", 5353, 5353, true), new PublishedPortPlan("tcp", 9000, 9000, true)],
            plan);
        Assert.True(PortPublishing.Relays(Task("awsvpc", publicIp: true)));
    }

    [Fact]
    public void An_awsvpc_task_without_a_public_IP_publishes_nothing_it_is_reached_at_its_own_address()
    {
        Assert.Empty(PortPublishing.Plan(Task("awsvpc"), Web));
        Assert.False(PortPublishing.Relays(Task("awsvpc")));
        Assert.Empty(PortPublishing.Plan(Task("awsvpc", publicIp: true, address: null), Web));
    }

    [Fact]
    public void Bridge_relays_tcp_host_ports_and_host_mode_binds_them_itself()
    {
        Assert.Equal([new PublishedPortPlan("tcp", 18080, 18080, true), new PublishedPortPlan("tcp", 9000, 0, true)], PortPublishing.Plan(Task(null), Web));
        Assert.Equal([new PublishedPortPlan("tcp", 18080, 18080, false), new PublishedPortPlan("tcp", 9000, 9000, false)], PortPublishing.Plan(Task("host", address: null), Web));
        Assert.False(PortPublishing.Relays(Task("host", address: null)));
        Assert.Empty(PortPublishing.Plan(Task("none", address: null), Web));
    }
}
