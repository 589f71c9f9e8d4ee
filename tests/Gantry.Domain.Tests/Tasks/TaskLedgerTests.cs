using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class TaskLedgerTests
{
    private static readonly ContainerInstance Instance = new()
    {
        RegisteredResources =
        [
            new Resource { Name = "CPU", Type = "INTEGER", IntegerValue = 2048 },
            new Resource { Name = "MEMORY", Type = "INTEGER", IntegerValue = 4096 },
            new Resource { Name = "PORTS", Type = "STRINGSET", StringSetValue = ["22"] },
        ],
        PendingTasksCount = 0,
        RunningTasksCount = 0,
    };

    private static readonly TaskReservation Web = new(512, 1024, [80]);

    [Fact]
    public void Placing_a_task_takes_its_resources_and_counts_it_pending()
    {
        var placed = TaskLedger.Place(Instance, Web);

        var (cpu, memory, ports) = TaskLedger.Remaining(placed);
        Assert.Equal((1536, 3072), (cpu, memory));
        Assert.Equal([22, 80], ports.Order());
        Assert.Equal(1, placed.PendingTasksCount);
    }

    [Fact]
    public void A_task_moves_from_pending_to_running_then_gives_everything_back_when_it_stops()
    {
        var placed = TaskLedger.Place(Instance, Web);

        var runningInstance = TaskLedger.Move(TaskCounter.Pending, TaskCounter.Running, Web, placed);
        Assert.Equal((0, 1), (runningInstance.PendingTasksCount, runningInstance.RunningTasksCount));
        Assert.Equal(1536, TaskLedger.Remaining(runningInstance).Cpu);

        var stoppedInstance = TaskLedger.Move(TaskCounter.Running, TaskCounter.None, Web, runningInstance);
        Assert.Equal((0, 0), (stoppedInstance.PendingTasksCount, stoppedInstance.RunningTasksCount));
        var (cpu, memory, ports) = TaskLedger.Remaining(stoppedInstance);
        Assert.Equal((2048, 4096), (cpu, memory));
        Assert.Equal([22], ports);
    }

    [Fact]
    public void Demands_are_task_level_when_set_else_the_containers_after_overrides()
    {
        var definition = new TaskDefinition
        {
            NetworkMode = "bridge",
            ContainerDefinitions =
            [
                new ContainerDefinition { Name = "app", Cpu = 256, Memory = 512, PortMappings = [new PortMapping { ContainerPort = 8080, HostPort = 80 }] },
                new ContainerDefinition { Name = "log", Cpu = 128, MemoryReservation = 64, PortMappings = [new PortMapping { ContainerPort = 9000, HostPort = 0 }] },
            ],
        };
        var overrides = new TaskOverride { ContainerOverrides = [new ContainerOverride { Name = "app", Cpu = 1024 }] };

        var reservation = TaskDemands.Reservation(definition, overrides);
        Assert.Equal((1152, 576), (reservation.Cpu, reservation.Memory));
        Assert.Equal([80], reservation.Ports);
        Assert.Equal(2048, TaskDemands.Cpu(definition with { Cpu = "2048" }, overrides));
        Assert.Equal(100, TaskDemands.Memory(definition with { Memory = "512" }, new TaskOverride { Memory = "100" }));
        Assert.Empty(TaskDemands.StaticPorts(definition with { NetworkMode = "awsvpc" }));
    }

    [Fact]
    public void An_awsvpc_task_with_a_public_IP_takes_its_tcp_container_ports_on_the_node()
    {
        var definition = new TaskDefinition
        {
            NetworkMode = "awsvpc",
            ContainerDefinitions =
            [
                new ContainerDefinition { Name = "web", PortMappings = [new PortMapping { ContainerPort = 8080, HostPort = 8080 }, new PortMapping { ContainerPort = 53, Protocol = "udp" }] },
                new ContainerDefinition { Name = "admin", PortMappings = [new PortMapping { ContainerPort = 9000, Protocol = "tcp" }, new PortMapping { ContainerPortRange = "7000-7010" }] },
            ],
        };

        Assert.Equal([8080, 9000], TaskDemands.PublicPorts(definition));
        Assert.Empty(TaskDemands.PublicPorts(definition with { NetworkMode = "bridge" }));
    }
}
