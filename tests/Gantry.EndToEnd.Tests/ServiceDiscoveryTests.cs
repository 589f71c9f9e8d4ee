using System.Diagnostics;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Cloud Map with the real AWS CLI and real DNS: an awsvpc service registered in a private DNS namespace resolves by name
/// from another task (busybox nslookup through the node's DNS relay) and from the host (dig against the control plane's
/// DNS server), loses a stopped task's record, a bridge service's SRV records carry host ports, and names outside the
/// namespaces are forwarded to the upstream resolver (a dnsmasq the test starts on 127.0.0.1).
/// </summary>
public sealed class ServiceDiscoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Cluster = "discovery";
    private const int Octet = 231;
    private const int DnsPort = 18231, UpstreamPort = 18232;
    private SingleNode _node = null!;
    private AwsCli _aws = null!;
    private Process _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = Process.Start(new ProcessStartInfo("/usr/sbin/dnsmasq",
            ["--no-daemon", "--no-resolv", "--no-hosts", $"--port={UpstreamPort}", "--listen-address=127.0.0.1", "--bind-interfaces",
             "--address=/example.test/192.0.2.7"])
        { UseShellExecute = false })!;
        _node = await SingleNode.StartAsync(Cluster, Octet, "--dns-listen", $"127.0.0.1:{DnsPort}", "--dns-upstream", $"127.0.0.1:{UpstreamPort}");
        _aws = _node.Aws;
        await _node.StartAgentAsync("--dns-server", $"127.0.0.1:{DnsPort}");
        await SampleImage.ImportBusyboxAsync(_node.Server);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _upstream.Kill();
        await _upstream.WaitForExitAsync();
        _upstream.Dispose();
    }

    [Fact]
    public async Task Services_resolve_by_name_from_tasks_and_lose_stopped_tasks_records()
    {
        var vpc = (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).GetProperty("Vpcs")[0].GetProperty("VpcId").GetString()!;
        var subnet = (await _aws.OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"))
            .GetProperty("Subnets")[0].GetProperty("SubnetId").GetString()!;
        var operation = (await _aws.OkAsync("servicediscovery", "create-private-dns-namespace", "--name", "app.local", "--vpc", vpc)).GetProperty("OperationId").GetString()!;
        var done = (await _aws.OkAsync("servicediscovery", "get-operation", "--operation-id", operation)).GetProperty("Operation");
        Assert.Equal("SUCCESS", done.GetProperty("Status").GetString());
        var ns = done.GetProperty("Targets").GetProperty("NAMESPACE").GetString()!;
        var web = (await _aws.OkAsync("servicediscovery", "create-service", "--name", "web", "--namespace-id", ns,
            "--dns-config", "RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=5}]", "--health-check-custom-config", "FailureThreshold=1"))
            .GetProperty("Service").GetProperty("Arn").GetString()!;
        var api = (await _aws.OkAsync("servicediscovery", "create-service", "--name", "api", "--namespace-id", ns,
            "--dns-config", "RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=SRV,TTL=5}]")).GetProperty("Service").GetProperty("Arn").GetString()!;

        await RegisterAsync("web", "awsvpc", "sleep 3600", port: null);
        await RegisterAsync("api", "bridge", "sleep 3600", port: 8080);
        await _aws.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", "web", "--task-definition", "web", "--desired-count", "2",
            "--service-registries", $"registryArn={web}",
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}]}}");
        await _aws.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", "api", "--task-definition", "api", "--desired-count", "1",
            "--service-registries", $"registryArn={api},containerName=app,containerPort=8080");
        await _aws.OkAsync("ecs", "wait", "services-stable", "--cluster", Cluster, "--services", "web", "api");
        var listed = (await _aws.OkAsync("ecs", "list-services-by-namespace", "--namespace", "app.local")).GetProperty("serviceArns").EnumerateArray()
            .Select(a => a.GetString()!.Split('/')[^1]).Order().ToList();
        Assert.Equal(["api", "web"], listed);

        // A records of both web tasks, from the host.
        var webTasks = await TasksAsync("web");
        var webIps = webTasks.Select(t => t.GetProperty("attachments")[0].GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "privateIPv4Address").GetProperty("value").GetString()!).Order().ToList();
        await Eventually.TrueAsync(async () => (await DigAsync("web.app.local", "A")).Order().SequenceEqual(webIps), 15);

        // SRV of the bridge task: its host port, target <task id>.api.app.local, which resolves to the node's address.
        var apiTask = Assert.Single(await TasksAsync("api"));
        var hostPort = apiTask.GetProperty("containers")[0].GetProperty("networkBindings")[0].GetProperty("hostPort").GetInt32();
        var taskId = apiTask.GetProperty("taskArn").GetString()!.Split('/')[^1];
        await Eventually.TrueAsync(async () => (await DigAsync("api.app.local", "SRV")).SequenceEqual([$"1 1 {hostPort} {taskId}.api.app.local."]), 15);
        Assert.Equal(["127.0.0.1"], await DigAsync($"{taskId}.api.app.local", "A"));

        // From a task: its resolv.conf names the node's relay, which asks the control plane (and its upstream for the rest).
        await RegisterAsync("client", "bridge", "cat /etc/resolv.conf; nslookup web.app.local; nslookup www.example.test; echo END; sleep 600", port: null);
        var client = (await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "client")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var lines = await OutputAsync(client);
        Assert.Contains($"nameserver 10.{Octet}.0.1", lines);
        Assert.All(webIps, ip => Assert.Contains(lines, l => l.Contains(ip, StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("192.0.2.7", StringComparison.Ordinal));

        // A stopped task's record goes.
        await _aws.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "web", "--desired-count", "1");
        await Eventually.TrueAsync(async () => await DigAsync("web.app.local", "A") is [var one] && webIps.Contains(one), 60);

        // Back to two: how long after the new task's RUNNING (its startedAt, this host's clock) its name resolves.
        await _aws.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "web", "--desired-count", "2");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while ((await DigAsync("web.app.local", "A")).Count != 2)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the second task's name did not resolve within 90 s");
            await Task.Delay(20);
        }
        var resolvedAt = DateTimeOffset.UtcNow;
        // The CLI prints timestamps in ISO 8601.
        var started = (await TasksAsync("web")).Select(t => DateTimeOffset.Parse(t.GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Max();
        output.WriteLine($"the new task's name resolved {(resolvedAt - started).TotalMilliseconds:F0} ms after its startedAt");
        var status = await Tool.RunAsync("/usr/bin/dig", ["@127.0.0.1", "-p", DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "nothing.app.local", "A"]);
        Assert.Contains("status: NXDOMAIN", status.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> TasksAsync(string service)
    {
        var arns = (await _aws.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--service-name", service)).GetProperty("taskArns").EnumerateArray()
            .Select(a => a.GetString()!).ToArray();
        return [.. (await _aws.OkAsync(["ecs", "describe-tasks", "--cluster", Cluster, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray()];
    }

    private static async Task<List<string>> DigAsync(string name, string type)
    {
        var dig = await Tool.RunAsync("/usr/bin/dig", ["@127.0.0.1", "-p", DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "+short", name, type]);
        return [.. dig.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>The task's output (the node's container log), once it printed END.</summary>
    private async Task<List<string>> OutputAsync(string taskArn)
    {
        var log = Path.Combine(_node.StateDirectory, "logs", $"{taskArn.Split('/')[^1]}-app.log");
        List<string> lines = [];
        await Eventually.TrueAsync(() =>
        {
            lines = File.Exists(log) ? [.. File.ReadAllLines(log).Select(l => l.Split(' ', 4) is [_, _, _, var text] ? text : l)] : [];
            return Task.FromResult(lines.Contains("END"));
        }, 60);
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
        return lines;
    }

    private async Task RegisterAsync(string family, string networkMode, string script, int? port) =>
        await _aws.OkAsync("ecs", "register-task-definition", "--family", family, "--network-mode", networkMode, "--container-definitions", JsonSerializer.Serialize(new[]
        {
            new
            {
                name = "app",
                image = "busybox",
                memory = 32,
                essential = true,
                command = new[] { "sh", "-c", script },
                portMappings = port is { } p ? new[] { new { containerPort = p, hostPort = 0 } } : [],
            },
        }));
}
