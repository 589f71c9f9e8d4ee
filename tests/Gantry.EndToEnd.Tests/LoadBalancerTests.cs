using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Load balancers end to end, driven by the real AWS CLI: an ALB in front of a service of busybox httpd tasks (bridge
/// mode, dynamic host ports, instance targets) that ECS registers, heals, rolls and drains; and an NLB forwarding TCP.
/// The server's load balancers take addresses of 127.0.215.0/28 and their DNS names go to a hosts file of the test's own.
/// </summary>
public sealed class LoadBalancerTests : IAsyncLifetime
{
    private const string Cluster = "lb";
    private const string Web = """
        [{"name":"web","image":"busybox","memory":32,"essential":true,"stopTimeout":2,
          "portMappings":[{"containerPort":8080,"hostPort":0,"protocol":"tcp"}],
          "environment":[{"name":"REVISION","value":"REV"}],
          "command":["sh","-c","mkdir -p /www/cgi-bin && cat /proc/sys/kernel/random/uuid > /www/index.html && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\nsleep 4\\necho slow-done\\n' > /www/cgi-bin/slow && chmod +x /www/cgi-bin/slow && exec httpd -f -p 8080 -h /www"]}]
        """;

    private readonly string _hostsFile = Path.Combine(Directory.CreateTempSubdirectory("gantry-lb-hosts-").FullName, "hosts");
    private SingleNode _node = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_hostsFile, "127.0.0.1 localhost\n");
        _node = await SingleNode.StartAsync(Cluster, 215, "--lb-addresses", "127.0.215.0/28", "--hosts-file", _hostsFile);
        _aws = _node.Aws;
        await _node.StartAgentAsync();
        await SampleImage.ImportBusyboxAsync(_node.Server);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_hostsFile)!, recursive: true);
    }

    [Fact]
    public async Task An_ALB_serves_a_service_through_healing_a_rolling_update_and_draining()
    {
        var (balancer, address) = await CreateLoadBalancerAsync("web", "application");
        var groupA = await CreateTargetGroupAsync("web-a", "HTTP", "instance");
        var groupB = await CreateTargetGroupAsync("web-b", "HTTP", "instance");
        await _aws.OkAsync("elbv2", "modify-target-group-attributes", "--target-group-arn", groupA, "--attributes", "Key=deregistration_delay.timeout_seconds,Value=5");
        var port = FreePort();
        var listener = (await _aws.OkAsync("elbv2", "create-listener", "--load-balancer-arn", balancer, "--protocol", "HTTP", "--port", $"{port}",
            "--default-actions", $$"""[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{groupA}}","Weight":100},{"TargetGroupArn":"{{groupB}}","Weight":0}],"TargetGroupStickinessConfig":{"Enabled":false} } }]""")
            ).GetProperty("Listeners")[0].GetProperty("ListenerArn").GetString()!;
        await _aws.OkAsync("elbv2", "create-rule", "--listener-arn", listener, "--priority", "10",
            "--conditions", """[{"Field":"path-pattern","PathPatternConfig":{"Values":["/status/*"]}}]""",
            "--actions", """[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"200","ContentType":"text/plain","MessageBody":"lb-ok"}}]""");

        await RegisterWebAsync("1");
        await _aws.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", "web", "--task-definition", "lbweb:1", "--desired-count", "3",
            "--load-balancers", $"targetGroupArn={groupA},containerName=web,containerPort=8080", "--health-check-grace-period-seconds", "30",
            "--deployment-configuration", "minimumHealthyPercent=100,maximumPercent=200");
        await Eventually.TrueAsync(async () => (await HealthyAsync(groupA)).Count == 3, 180);

        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            bodies.Add(await http.GetStringAsync("/"));
        }
        Assert.Equal(3, bodies.Count);
        Assert.Equal("lb-ok", await http.GetStringAsync("/status/x"));
        string[] lb = [Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "lb"];
        string[] common = ["--endpoint", _node.Server.Endpoint.ToString(), "--data-dir", _node.Server.DataDirectory];
        var listed = await Tool.OkAsync("dotnet", [.. lb, "ls", .. common]);
        Assert.Contains(listed.Split('\n'), l => l.StartsWith("web ", StringComparison.Ordinal) && l.Contains($"HTTP:{port}", StringComparison.Ordinal)
            && l.TrimEnd().EndsWith("3/3", StringComparison.Ordinal));
        var described = await Tool.OkAsync("dotnet", [.. lb, "describe", "web", .. common]);
        Assert.True(described.Contains("/status/*", StringComparison.Ordinal) && described.Contains("web-a  HTTP:80  3/3 healthy", StringComparison.Ordinal), described);
        var events = (await ServiceAsync()).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Contains(events, e => e.StartsWith("(service web) registered", StringComparison.Ordinal) && e.EndsWith($"in (target-group {groupA})", StringComparison.Ordinal));

        // kill -9 of one container: its target leaves the healthy set before a replacement's joins, and requests keep being answered.
        var original = await HealthyAsync(groupA);
        var victim = original[0];
        var victimTask = await TaskOnPortAsync(victim.Port);
        await Tool.OkAsync("/usr/sbin/runc", ["--root", Path.Combine(_node.StateDirectory, "runc"), "kill", $"{victimTask}-web", "KILL"]);
        await Eventually.TrueAsync(async () =>
        {
            var healthy = await HealthyAsync(groupA); // one DescribeTargetHealth: a consistent view
            var joined = healthy.Any(t => !original.Contains(t));
            Assert.False(joined && healthy.Contains(victim), "a replacement turned healthy while the killed target still was");
            return joined && healthy.Count == 3;
        }, 180);
        Assert.Equal(200, (int)(await http.GetAsync("/")).StatusCode);

        // A rolling update to revision 2 with a client hammering the listener.
        await RegisterWebAsync("2");
        using var stop = new CancellationTokenSource();
        var load = HammerAsync(http, stop.Token);
        await _aws.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "web", "--task-definition", "lbweb:2");
        var trace = new List<string>();
        await Eventually.TrueAsync(async () =>
        {
            var service = await ServiceAsync();
            trace.Add($"{DateTime.UtcNow:HH:mm:ss.f} {string.Join(' ', (await TargetsAsync(groupA)).Select(t => $"{t.Port}={t.State}"))}");
            return service.GetProperty("deployments").GetArrayLength() == 1
                && service.GetProperty("deployments")[0].GetProperty("rolloutState").GetString() == "COMPLETED"
                && service.GetProperty("runningCount").GetInt32() == 3;
        }, 300);
        await stop.CancelAsync();
        var (ok, failed) = await load;
        Assert.True(ok > 50, $"only {ok} requests went through during the update");
        var report = $"{failed.Count} failed ({string.Join(',', failed.Select(f => $"{f.What} at {f.At:HH:mm:ss.f}").Distinct())}), {ok} ok; "
            + $"target health during the update:\n{string.Join('\n', trace)}";
        Assert.True(failed.Count == 0, report);

        // Scale to one, start a slow request, scale to zero: the draining target finishes it; nothing new goes there.
        await _aws.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "web", "--desired-count", "1");
        await Eventually.TrueAsync(async () => (await TargetsAsync(groupA)).Count == 1, 120);
        // The CGI answers its headers at once and its body 4 s later: with the headers in, the request is in flight on the target.
        using var slow = await http.GetAsync("/cgi-bin/slow", HttpCompletionOption.ResponseHeadersRead);
        await _aws.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "web", "--desired-count", "0");
        await Eventually.TrueAsync(async () => (await TargetsAsync(groupA)).Any(t => t.State == "draining"), 30);
        Assert.Equal("slow-done", (await slow.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(503, (int)(await http.GetAsync("/")).StatusCode);
        await Eventually.TrueAsync(async () => (await TargetsAsync(groupA)).Count == 0, 60);
    }

    [Fact]
    public async Task An_NLB_forwards_TCP_to_its_targets()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var echoPort = ((IPEndPoint)echo.LocalEndpoint).Port;
        using var serving = new CancellationTokenSource();
        var server = EchoAsync(echo, serving.Token);

        var (balancer, address) = await CreateLoadBalancerAsync("tcp", "network");
        var group = await CreateTargetGroupAsync("tcp-echo", "TCP", "ip");
        await _aws.OkAsync("elbv2", "register-targets", "--target-group-arn", group, "--targets", $"Id=127.0.0.1,Port={echoPort}");
        var port = FreePort();
        await _aws.OkAsync("elbv2", "create-listener", "--load-balancer-arn", balancer, "--protocol", "TCP", "--port", $"{port}",
            "--default-actions", $"Type=forward,TargetGroupArn={group}");
        await Eventually.TrueAsync(async () => (await HealthyAsync(group)).Count == 1, 60);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Parse(address), port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("ping\n"));
        var buffer = new byte[5];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal("ping\n", Encoding.ASCII.GetString(buffer));
        await serving.CancelAsync();
        await server;
    }

    [Fact]
    public async Task Boto3_drives_the_ELB_API_and_hostile_bodies_get_4xx_and_change_nothing()
    {
        var seen = await Boto3.RunAsync(_node.Server, "elbv2_boto3.py", "8080", $"{FreePort()}");
        Assert.EndsWith(".us-east-1.elb.amazonaws.com", seen.GetProperty("dns").GetString(), StringComparison.Ordinal);
        Assert.Equal(["initial"], seen.GetProperty("health").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("boto3", seen.GetProperty("paged").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("TargetGroupNotFound", seen.GetProperty("not_found").GetProperty("code").GetString());
        foreach (var answer in seen.GetProperty("hostile").EnumerateObject())
        {
            var status = answer.Value.GetProperty("status").GetInt32();
            Assert.True(status is >= 400 and < 500, $"{answer.Name}: {answer.Value}");
        }
        Assert.Equal(1, seen.GetProperty("targets_after_hostile").GetInt32());
        Assert.DoesNotContain("bad", seen.GetProperty("groups_after_hostile").EnumerateArray().Select(s => s.GetString()));
    }

    private async Task<(string Arn, string Address)> CreateLoadBalancerAsync(string name, string type)
    {
        var created = (await _aws.OkAsync("elbv2", "create-load-balancer", "--name", name, "--type", type, "--subnets", "subnet-e2e"))
            .GetProperty("LoadBalancers")[0];
        var dns = created.GetProperty("DNSName").GetString()!;
        var address = "";
        await Eventually.TrueAsync(async () =>
        {
            address = (await File.ReadAllLinesAsync(_hostsFile)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .FirstOrDefault(f => f.Length >= 2 && f[1] == dns)?[0] ?? "";
            return address.Length > 0;
        }, 30);
        Assert.StartsWith("127.0.215.", address, StringComparison.Ordinal);
        return (created.GetProperty("LoadBalancerArn").GetString()!, address);
    }

    private async Task<string> CreateTargetGroupAsync(string name, string protocol, string targetType) =>
        (await _aws.OkAsync("elbv2", "create-target-group", "--name", name, "--protocol", protocol, "--port", "80", "--vpc-id", "vpc-e2e",
            "--target-type", targetType, "--health-check-interval-seconds", "5", "--health-check-timeout-seconds", "2",
            "--healthy-threshold-count", "2", "--unhealthy-threshold-count", "2"))
        .GetProperty("TargetGroups")[0].GetProperty("TargetGroupArn").GetString()!;

    private Task<JsonElement> RegisterWebAsync(string revision) =>
        _aws.OkAsync("ecs", "register-task-definition", "--family", "lbweb", "--network-mode", "bridge",
            "--container-definitions", Web.Replace("REV", revision, StringComparison.Ordinal));

    private async Task<JsonElement> ServiceAsync() =>
        (await _aws.OkAsync("ecs", "describe-services", "--cluster", Cluster, "--services", "web")).GetProperty("services")[0];

    private sealed record TargetState(string Id, int Port, string State);

    private async Task<List<TargetState>> TargetsAsync(string group) =>
        (await _aws.OkAsync("elbv2", "describe-target-health", "--target-group-arn", group)).GetProperty("TargetHealthDescriptions").EnumerateArray()
        .Select(d => new TargetState(d.GetProperty("Target").GetProperty("Id").GetString()!, d.GetProperty("Target").GetProperty("Port").GetInt32(),
            d.GetProperty("TargetHealth").GetProperty("State").GetString()!))
        .ToList();

    private async Task<List<TargetState>> HealthyAsync(string group) => [.. (await TargetsAsync(group)).Where(t => t.State == "healthy")];

    /// <summary>The id of the running task whose container's host port is <paramref name="hostPort"/>.</summary>
    private async Task<string> TaskOnPortAsync(int hostPort)
    {
        var arns = (await _aws.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--service-name", "web")).GetProperty("taskArns")
            .EnumerateArray().Select(t => t.GetString()!).ToArray();
        var tasks = (await _aws.OkAsync(["ecs", "describe-tasks", "--cluster", Cluster, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray();
        var arn = tasks.First(t => t.GetProperty("containers")[0].GetProperty("networkBindings").EnumerateArray()
            .Any(b => b.GetProperty("hostPort").GetInt32() == hostPort)).GetProperty("taskArn").GetString()!;
        return arn[(arn.LastIndexOf('/') + 1)..];
    }

    private static async Task<(int Ok, List<(string What, DateTime At)> Failed)> HammerAsync(HttpClient http, CancellationToken stop)
    {
        var ok = 0;
        var failed = new List<(string What, DateTime At)>();
        while (!stop.IsCancellationRequested)
        {
            // About a hundred requests a second, as a curl loop makes: the targets are single-process busybox httpd.
            await Task.Delay(10, CancellationToken.None);
            try
            {
                using var response = await http.GetAsync("/", CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                }
                else
                {
                    failed.Add(($"{(int)response.StatusCode}", DateTime.UtcNow));
                }
            }
            catch (HttpRequestException e)
            {
                failed.Add((e.Message, DateTime.UtcNow));
            }
        }
        return (ok, failed);
    }

    private static async Task EchoAsync(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await client.GetStream().CopyToAsync(client.GetStream(), stop);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException)
                        {
                        }
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
