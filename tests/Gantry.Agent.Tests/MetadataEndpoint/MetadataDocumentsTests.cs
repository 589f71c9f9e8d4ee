using System.Text.Json;
using Gantry.Agent.Engine;
using Gantry.Agent.MetadataEndpoint;
using Gantry.Agent.Networking;
using Gantry.Domain.Tasks;
using static Gantry.Agent.Tests.MetadataEndpoint.MetadataFixtures;

namespace Gantry.Agent.Tests.MetadataEndpoint;

public sealed class MetadataDocumentsTests
{
    private static JsonElement Json(object document) => JsonDocument.Parse(JsonSerializer.Serialize(document, MetadataService.Json)).RootElement;

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Ec2_task_has_the_cluster_name_cpu_units_and_only_the_timestamps_that_are_set()
    {
        var task = Json(MetadataDocuments.Task(Task("EC2", "bridge", "10.213.0.7"), Node));

        Assert.Equal(["Cluster", "TaskARN", "Family", "Revision", "DesiredStatus", "KnownStatus", "Limits", "PullStartedAt", "AvailabilityZone", "LaunchType",
            "Containers", "FaultInjectionEnabled"], Names(task));
        Assert.Equal("web", task.GetProperty("Cluster").GetString());
        Assert.Equal(TaskArn, task.GetProperty("TaskARN").GetString());
        Assert.Equal("3", task.GetProperty("Revision").GetString());
        Assert.Equal(256, task.GetProperty("Limits").GetProperty("CPU").GetDouble());
        Assert.Equal(512, task.GetProperty("Limits").GetProperty("Memory").GetInt64());
        Assert.Equal("2026-12-05T10:00:00.123Z", task.GetProperty("PullStartedAt").GetString());
        Assert.Equal("us-east-1a", task.GetProperty("AvailabilityZone").GetString());
        Assert.False(task.GetProperty("FaultInjectionEnabled").GetBoolean());
    }

    [Fact]
    public void Container_leaves_out_exit_code_and_finished_at_until_it_exits()
    {
        var running = Task("EC2", "bridge", "10.213.0.7");
        var container = Json(MetadataDocuments.Container(running, running.Containers[0], Node));

        Assert.Equal(["DockerId", "Name", "DockerName", "Image", "Labels", "DesiredStatus", "KnownStatus", "Limits", "CreatedAt", "StartedAt", "Type", "Networks"],
            Names(container));
        Assert.Equal($"{TaskId}-app", container.GetProperty("DockerId").GetString());
        Assert.Matches("^ecs-web-3-app-[0-9a-f]{20}$", container.GetProperty("DockerName").GetString());
        Assert.Equal("web", container.GetProperty("Labels").GetProperty("com.amazonaws.ecs.cluster").GetString());
        Assert.Equal(TaskArn, container.GetProperty("Labels").GetProperty("com.amazonaws.ecs.task-arn").GetString());
        Assert.Equal("3", container.GetProperty("Labels").GetProperty("com.amazonaws.ecs.task-definition-version").GetString());
        Assert.Equal(128, container.GetProperty("Limits").GetProperty("CPU").GetDouble());
        Assert.Equal(64, container.GetProperty("Limits").GetProperty("Memory").GetInt64());
        Assert.Equal("NORMAL", container.GetProperty("Type").GetString());
        var network = container.GetProperty("Networks")[0];
        Assert.Equal("bridge", network.GetProperty("NetworkMode").GetString());
        Assert.Equal("10.213.0.7", network.GetProperty("IPv4Addresses")[0].GetString());

        var exited = running.With(running.Containers[0] with { LastStatus = ContainerStatus.Stopped, ExitCode = 3, FinishedAt = Started.AddSeconds(5) });
        var stopped = Json(MetadataDocuments.Container(exited, exited.Containers[0], Node));
        Assert.Equal(3, stopped.GetProperty("ExitCode").GetInt32());
        Assert.Equal("2026-12-05T10:00:05.123Z", stopped.GetProperty("FinishedAt").GetString());
        Assert.Equal("STOPPED", stopped.GetProperty("KnownStatus").GetString());
    }

    [Fact]
    public void Fargate_task_has_the_cluster_arn_vcpus_clock_drift_storage_and_fargate_docker_ids()
    {
        var agentTask = Task("FARGATE", "awsvpc", "10.213.0.9");
        var task = Json(MetadataDocuments.Task(agentTask, Node, new ClockDriftMetadata(0.5, "2026-12-05T10:00:00Z", "SYNCHRONIZED"),
            new EphemeralStorageMetadata(12, 20480)));

        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:cluster/web", task.GetProperty("Cluster").GetString());
        Assert.Equal("FARGATE", task.GetProperty("LaunchType").GetString());
        Assert.Equal(0.25, task.GetProperty("Limits").GetProperty("CPU").GetDouble());
        Assert.Equal(512, task.GetProperty("Limits").GetProperty("Memory").GetInt64());
        Assert.Equal(["ClockErrorBound", "ReferenceTimestamp", "ClockSynchronizationStatus"], Names(task.GetProperty("ClockDrift")));
        Assert.Equal(20480, task.GetProperty("EphemeralStorageMetrics").GetProperty("Reserved").GetInt64());
        Assert.Equal(12, task.GetProperty("EphemeralStorageMetrics").GetProperty("Utilized").GetInt64());
        var container = task.GetProperty("Containers")[0];
        Assert.Matches($"^{TaskId}-[0-9]{{10}}$", container.GetProperty("DockerId").GetString());
        Assert.Equal(container.GetProperty("DockerId").GetString(), MetadataDocuments.DockerId(agentTask, agentTask.Containers[0]));
        Assert.Equal("app", container.GetProperty("DockerName").GetString());
        Assert.Equal("overlayfs", container.GetProperty("Snapshotter").GetString());
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:cluster/web", container.GetProperty("Labels").GetProperty("com.amazonaws.ecs.cluster").GetString());
        var network = container.GetProperty("Networks")[0];
        Assert.Equal(["NetworkMode", "IPv4Addresses", "AttachmentIndex", "MACAddress", "IPv4SubnetCIDRBlock", "SubnetGatewayIpv4Address"], Names(network));
        Assert.Equal("10.213.0.0/16", network.GetProperty("IPv4SubnetCIDRBlock").GetString());
        Assert.Equal("10.213.0.1/16", network.GetProperty("SubnetGatewayIpv4Address").GetString());
    }

    [Fact]
    public void A_task_with_a_subnet_interface_shows_its_subnet_and_gateway()
    {
        var agentTask = Task("FARGATE", "awsvpc", "172.31.17.9");
        agentTask = agentTask with { Launch = agentTask.Launch! with { Interface = InterfaceAddress.TryCreate("172.31.17.9", 20, "172.31.16.1") } };

        var network = Json(MetadataDocuments.Task(agentTask, Node)).GetProperty("Containers")[0].GetProperty("Networks")[0];

        Assert.Equal("172.31.17.9", network.GetProperty("IPv4Addresses")[0].GetString());
        Assert.Equal("172.31.16.0/20", network.GetProperty("IPv4SubnetCIDRBlock").GetString());
        Assert.Equal("172.31.16.1/20", network.GetProperty("SubnetGatewayIpv4Address").GetString());
    }

    [Fact]
    public void Task_with_tags_adds_empty_tag_maps_and_ec2_never_shows_fargate_members()
    {
        var task = Json(MetadataDocuments.Task(Task(), Node, new ClockDriftMetadata(1, "x", "SYNCHRONIZED"), new EphemeralStorageMetadata(1, 1), withTags: true));

        Assert.Equal(JsonValueKind.Object, task.GetProperty("TaskTags").ValueKind);
        Assert.Equal(JsonValueKind.Object, task.GetProperty("ContainerInstanceTags").ValueKind);
        Assert.Equal("EC2", task.GetProperty("LaunchType").GetString());
        Assert.False(task.TryGetProperty("ClockDrift", out _));
        Assert.False(task.TryGetProperty("EphemeralStorageMetrics", out _));
        Assert.Equal("web", task.GetProperty("Cluster").GetString()); // from the task ARN when RunTask named none
    }

    [Fact]
    public void Task_without_a_task_size_has_no_limits()
    {
        var task = Json(MetadataDocuments.Task(Task("EC2", cpu: null, memory: null), Node));

        Assert.False(task.TryGetProperty("Limits", out _));
    }

    [Fact]
    public void Endpoint_ids_are_random_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => MetadataIds.New()).ToList();

        Assert.Equal(100, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
    }

    [Fact]
    public void Clock_drift_comes_from_the_kernel_clock()
    {
        var now = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var drift = NodeClock.Read(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now));

        Assert.True(drift.ClockErrorBound >= 0);
        Assert.Contains(drift.ClockSynchronizationStatus, new[] { "SYNCHRONIZED", "NOT_SYNCHRONIZED" });
        Assert.Equal("2026-12-05T10:00:00Z", drift.ReferenceTimestamp);
    }
}
