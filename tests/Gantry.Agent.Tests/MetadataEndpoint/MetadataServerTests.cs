using System.Net;
using System.Text.Json;
using Gantry.Agent.Engine;
using Gantry.Agent.MetadataEndpoint;
using Gantry.Agent.Tests.Images;
using static Gantry.Agent.Tests.MetadataEndpoint.MetadataFixtures;

namespace Gantry.Agent.Tests.MetadataEndpoint;

/// <summary>The endpoint over HTTP on loopback: requests come from 127.0.0.1, outside the tasks' bridge subnet.</summary>
public sealed class MetadataServerTests : IAsyncLifetime, IDisposable
{
    private const string HostTaskId = "11111111-2222-4333-8444-555555555555";
    private const string BridgeTaskId = "66666666-7777-4888-9999-aaaaaaaaaaaa";
    private readonly FakeCgroups _cgroups = new();
    private readonly HttpClient _http = new();
    private List<AgentTask> _tasks = [];
    private MetadataServer _server = null!;

    public async Task InitializeAsync()
    {
        _tasks = [Task("EC2", "host", metadataId: HostTaskId), Task("EC2", "bridge", "10.213.0.7", BridgeTaskId) with { TaskArn = TaskArn + "0" }];
        var sampler = new StatsSampler(new CgroupStatsReader(_cgroups.ProcRoot), _ => _cgroups.StateFile, TimeProvider.System);
        var service = new MetadataService(() => _tasks, Node, sampler, _ => new EphemeralStorageMetadata(0, 0), TimeProvider.System);
        _server = await MetadataServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), service, TestTimeout.Token());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _cgroups.Dispose();
    }

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri($"http://{_server.Endpoint}{path}"), TestTimeout.Token());
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(body).RootElement);
    }

    [Fact]
    public async Task A_host_network_task_gets_its_container_task_and_stats()
    {
        var container = await GetAsync($"/v4/{HostTaskId}");
        var task = await GetAsync($"/v4/{HostTaskId}/task");
        var tagged = await GetAsync($"/v4/{HostTaskId}/taskWithTags");
        var stats = await GetAsync($"/v4/{HostTaskId}/stats");
        var taskStats = await GetAsync($"/v4/{HostTaskId}/task/stats");

        Assert.Equal((HttpStatusCode.OK, "application/json"), (container.Status, container.ContentType));
        Assert.Equal("app", container.Body.GetProperty("Name").GetString());
        Assert.Equal(TaskArn, task.Body.GetProperty("TaskARN").GetString());
        Assert.Equal(JsonValueKind.Object, tagged.Body.GetProperty("TaskTags").ValueKind);
        Assert.False(task.Body.TryGetProperty("TaskTags", out _));
        Assert.Equal(HttpStatusCode.OK, stats.Status);
        Assert.Equal(5_000_000_000UL, stats.Body.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal($"{TaskId}-app", stats.Body.GetProperty("id").GetString());
        Assert.Equal([$"{TaskId}-app"], taskStats.Body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_unknown_id_is_ecs_404_with_a_json_string_body()
    {
        var container = await GetAsync("/v4/nope");
        var task = await GetAsync("/v4/nope/task");
        var stats = await GetAsync("/v4/nope/stats");
        var taskStats = await GetAsync("/v4/nope/task/stats");

        Assert.Equal((HttpStatusCode.NotFound, "application/json"), (container.Status, container.ContentType));
        Assert.Equal("V4 container metadata handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: nope", container.Body.GetString());
        Assert.Equal("V4 task metadata handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: nope", task.Body.GetString());
        Assert.Equal("V4 container stats handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: nope", stats.Body.GetString());
        Assert.Equal("V4 task stats handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: nope", taskStats.Body.GetString());
    }

    [Fact]
    public async Task A_known_id_of_a_task_with_its_own_address_is_refused_from_any_other_address()
    {
        var task = await GetAsync($"/v4/{BridgeTaskId}/task");

        Assert.Equal(HttpStatusCode.NotFound, task.Status);
        Assert.Equal($"V4 task metadata handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: {BridgeTaskId}", task.Body.GetString());
    }

    [Fact]
    public void Only_the_tasks_own_address_may_read_it_and_no_bridge_address_may_read_a_host_task()
    {
        var service = new MetadataService(() => _tasks, Node, null!, _ => new EphemeralStorageMetadata(0, 0), TimeProvider.System);
        int Status(string id, string from) => ((Microsoft.AspNetCore.Http.IStatusCodeHttpResult)service.Handle(id, MetadataRoute.Container, IPAddress.Parse(from))).StatusCode ?? 200;

        Assert.Equal(200, Status(BridgeTaskId, "10.213.0.7"));
        Assert.Equal(200, Status(BridgeTaskId, "::ffff:10.213.0.7"));
        Assert.Equal(404, Status(BridgeTaskId, "10.213.0.8"));
        Assert.Equal(404, Status(HostTaskId, "10.213.0.7")); // a bridge task guessing a host task's id
        Assert.Equal(200, Status(HostTaskId, "169.254.170.2"));
        Assert.Equal(200, Status(HostTaskId, "10.213.0.1"));
    }

    [Fact]
    public async Task Disposing_the_server_frees_its_port()
    {
        var endpoint = _server.Endpoint;
        await _server.DisposeAsync();

        using var listener = new System.Net.Sockets.TcpListener(endpoint);
        listener.Start(); // would throw if the port were still held
        listener.Stop();
        _server = await MetadataServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new MetadataService(() => [], Node, null!, _ => new(0, 0), TimeProvider.System),
            TestTimeout.Token());
    }
}
