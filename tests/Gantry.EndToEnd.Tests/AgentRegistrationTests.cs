using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>`gantry agent` processes registering into `gantry server`: identity, attributes, heartbeats, restarts.</summary>
public sealed class AgentRegistrationTests : IAsyncLifetime
{
    private GantryProcess _server = null!;
    private AwsCli _aws = null!;
    private readonly List<GantryProcess> _agents = [];

    public async Task InitializeAsync()
    {
        _server = await GantryProcess.StartAsync("server");
        await ServerProfile.WriteAsync(_server);
        _aws = new AwsCli(_server);
        await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", "nodes");
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_registers_heartbeats_and_keeps_its_identity_across_restarts()
    {
        var state = Path.Combine(_server.Home, "agent-state");
        _agents.Add(await _server.StartAgentAsync("nodes", state, "--availability-zone", "az-e2e", "--attribute", "stack=test", "--bridge-address", "10.217.0.1"));
        var arn = await SingleInstanceAsync();
        var instance = await DescribeAsync(arn);
        Assert.Equal("ACTIVE", instance.GetProperty("status").GetString());
        var attributes = instance.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.TryGetProperty("value", out var v) ? v.GetString() : null);
        Assert.Equal("az-e2e", attributes["ecs.availability-zone"]);
        Assert.Equal("test", attributes["stack"]);
        Assert.Equal("linux", attributes["ecs.os-type"]);
        var cpu = instance.GetProperty("registeredResources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "CPU");
        Assert.Equal(Environment.ProcessorCount * 1024, cpu.GetProperty("integerValue").GetInt32());

        // A hung agent (SIGSTOP) misses its heartbeats and is marked disconnected; it comes back on SIGCONT.
        await Tool.OkAsync("/bin/kill", ["-STOP", _agents[0].ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await WaitConnectedAsync(arn, false);
        await Tool.OkAsync("/bin/kill", ["-CONT", _agents[0].ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await WaitConnectedAsync(arn, true);

        // kill -9 drops the stream at once; a new agent on the same state directory is the same container instance.
        await _agents[0].KillAsync();
        await WaitConnectedAsync(arn, false);
        _agents.Add(await _server.StartAgentAsync("nodes", state));
        await WaitConnectedAsync(arn, true);
        Assert.Equal(arn, await SingleInstanceAsync());
    }

    [Fact]
    public async Task A_node_joins_with_an_operator_token_and_once_revoked_is_refused()
    {
        var token = (await _server.CliAsync(null, "node", "token", "create", "--cluster", "nodes", "--ttl", "1h", "--description", "e2e")).Trim();
        Assert.StartsWith("gntj_", token, StringComparison.Ordinal);
        var state = Path.Combine(_server.Home, "joined-state");
        _agents.Add(await _server.StartAgentAsync("nodes", state, "--join-token", token, "--bridge-address", "10.219.0.1"));
        var arn = await SingleInstanceAsync();
        await WaitConnectedAsync(arn, true);

        var credentials = Path.Combine(state, "node-credentials");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        var nodeId = System.Text.Json.JsonDocument.Parse(File.ReadAllText(credentials)).RootElement.GetProperty("nodeId").GetString()!;
        Assert.Contains(nodeId, await _server.CliAsync(null, "node", "ls"), StringComparison.Ordinal);
        Assert.Contains("ACTIVE", await _server.CliAsync(null, "node", "token", "ls"), StringComparison.Ordinal);

        await _server.CliAsync(null, "node", "revoke", nodeId);

        await WaitConnectedAsync(arn, false);
        await Eventually.TrueAsync(() => Task.FromResult(_agents[^1].Output.Contains($"node {nodeId} was revoked", StringComparison.Ordinal)), 60);
        Assert.Contains("REVOKED", await _server.CliAsync(null, "node", "ls"), StringComparison.Ordinal);
    }

    private async Task<string> SingleInstanceAsync()
    {
        string? arn = null;
        await Eventually.TrueAsync(async () =>
        {
            var listed = await _aws.OkAsync("ecs", "list-container-instances", "--cluster", "nodes");
            var arns = listed.GetProperty("containerInstanceArns").EnumerateArray().Select(a => a.GetString()!).ToList();
            arn = arns.Count == 1 ? arns[0] : null;
            return arn is not null;
        }, 60);
        return arn!;
    }

    private async Task<System.Text.Json.JsonElement> DescribeAsync(string arn) =>
        (await _aws.OkAsync("ecs", "describe-container-instances", "--cluster", "nodes", "--container-instances", arn)).GetProperty("containerInstances")[0];

    private Task WaitConnectedAsync(string arn, bool connected) =>
        Eventually.TrueAsync(async () => (await DescribeAsync(arn)).GetProperty("agentConnected").GetBoolean() == connected, 60);
}
