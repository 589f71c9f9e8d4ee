using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Security groups enforced between awsvpc tasks, driven by the real AWS CLI: a server whose group allows tcp 8080 only
/// from group A is reached on 8080 by a task in A, not by a task in B (the connection times out), and on no other port;
/// revoking the rule stops new connections from A within about a second; an unknown subnet or group is refused.
/// Clients probe in a loop and print each outcome; the node's container logs carry conmon's timestamps.
/// </summary>
public sealed class SecurityGroupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Cluster = "firewalls";
    private SingleNode _node = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        _node = await SingleNode.StartAsync(Cluster, 232);
        _aws = _node.Aws;
        await _node.StartAgentAsync("--dns-server", "none");
        await SampleImage.ImportBusyboxAsync(_node.Server);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Only_the_allowed_group_reaches_the_allowed_port_until_the_rule_is_revoked()
    {
        var vpc = (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).GetProperty("Vpcs")[0].GetProperty("VpcId").GetString()!;
        var subnet = (await _aws.OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"))
            .GetProperty("Subnets")[0].GetProperty("SubnetId").GetString()!;
        var groupA = await GroupAsync("clients-a", vpc);
        var groupB = await GroupAsync("clients-b", vpc);
        var server = await GroupAsync("server", vpc);
        string[] rule = ["--group-id", server, "--protocol", "tcp", "--port", "8080", "--source-group", groupA];
        await _aws.OkAsync(["ec2", "authorize-security-group-ingress", .. rule]);

        // Unknown subnets and groups are refused before anything runs.
        await RegisterAsync("server", "mkdir -p /www && echo hi > /www/index.html && httpd -p 8080 -h /www && httpd -f -p 9090 -h /www");
        var unknownSubnet = await _aws.RunAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "server",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}");
        Assert.Contains("InvalidParameterException", unknownSubnet.StandardError, StringComparison.Ordinal);
        Assert.Contains("The subnet ID 'subnet-0123456789abcdef0' does not exist", unknownSubnet.StandardError, StringComparison.Ordinal);
        var unknownGroup = await _aws.RunAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "server",
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[sg-0123456789abcdef0]}}");
        Assert.Contains("The security group 'sg-0123456789abcdef0' does not exist", unknownGroup.StandardError, StringComparison.Ordinal);

        var (serverArn, serverIp) = await RunAsync("server", subnet, server);
        await RegisterAsync("client", $"while true; do for p in 8080 9090; do if timeout 2 wget -qO- http://{serverIp}:$p/ >/dev/null 2>&1; "
            + "then echo OK$p; else echo FAIL$p; fi; done; sleep 0.1; done");
        var clientA = Log(await RunTaskAsync("client", subnet, groupA));
        var clientB = Log(await RunTaskAsync("client", subnet, groupB));

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(Lines(clientA).Any(l => l.Text == "OK8080")), 30);
        }
        finally
        {
            // What the server's namespace enforces and what the clients saw, for a failure's sake.
            output.WriteLine($"server {serverIp} rules:\n{await ServerRulesAsync(serverArn)}");
            output.WriteLine($"client A: {string.Join(' ', Lines(clientA).TakeLast(6).Select(l => l.Text))}");
        }
        await Eventually.TrueAsync(() => Task.FromResult(Lines(clientB).Count(l => l.Text == "FAIL8080") >= 4), 60);
        Assert.DoesNotContain(Lines(clientA), l => l.Text == "OK9090");
        Assert.DoesNotContain(Lines(clientB), l => l.Text.StartsWith("OK", StringComparison.Ordinal));

        var revoked = DateTimeOffset.UtcNow;
        await _aws.OkAsync(["ec2", "revoke-security-group-ingress", .. rule]);
        // The answer means the rule is stored; the server's namespace follows within the feed's and the agent's latency.
        var answered = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(async () => !(await ServerRulesAsync(serverArn)).Contains("--dport 8080", StringComparison.Ordinal), 10);
        output.WriteLine($"rule gone from the server's namespace {(DateTimeOffset.UtcNow - answered).TotalMilliseconds:F0} ms after the revoke was answered");
        await Eventually.TrueAsync(() => Task.FromResult(Lines(clientA).Any(l => l.At > revoked && l.Text == "FAIL8080")), 30);
        var firstFail = Lines(clientA).First(l => l.At > revoked && l.Text == "FAIL8080").At;
        // A probe that failed started up to its 2 s timeout before it printed (busybox wget -T crashes: timeout(1) bounds it).
        output.WriteLine($"first refused probe printed {(firstFail - revoked).TotalMilliseconds:F0} ms after the revoke was sent");
        await Eventually.TrueAsync(() => Task.FromResult(Lines(clientA).Count(l => l.At > firstFail && l.Text == "FAIL8080") >= 3), 30);
        Assert.DoesNotContain(Lines(clientA), l => l.At > firstFail && l.Text == "OK8080");
    }

    /// <summary>What the server task's namespace enforces (<c>iptables -S</c> inside it, of the legacy backend the agent prefers).</summary>
    private static async Task<string> ServerRulesAsync(string taskArn)
    {
        var id = taskArn.Split('/')[^1];
        var rules = await Tool.RunAsync("/usr/sbin/ip", ["netns", "exec", $"gantry-{id}"[..Math.Min(32, 7 + id.Length)], "/usr/sbin/iptables-legacy", "-S"]);
        Assert.Contains("-P INPUT DROP", rules.StandardOutput, StringComparison.Ordinal); // the table is there to read
        return rules.StandardOutput + rules.StandardError;
    }

    private async Task<string> GroupAsync(string name, string vpc) =>
        (await _aws.OkAsync("ec2", "create-security-group", "--group-name", name, "--description", $"e2e {name}", "--vpc-id", vpc)).GetProperty("GroupId").GetString()!;

    private async Task<string> RunTaskAsync(string family, string subnet, string group)
    {
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", family,
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}]}}");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await _aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", arn);
        return arn;
    }

    private async Task<(string Arn, string Address)> RunAsync(string family, string subnet, string group)
    {
        var arn = await RunTaskAsync(family, subnet, group);
        var task = (await _aws.OkAsync("ecs", "describe-tasks", "--cluster", Cluster, "--tasks", arn)).GetProperty("tasks")[0];
        return (arn, task.GetProperty("attachments")[0].GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "privateIPv4Address").GetProperty("value").GetString()!);
    }

    private string Log(string taskArn) => ContainerLog.PathOf(_node.StateDirectory, taskArn);

    private static List<(DateTimeOffset At, string Text)> Lines(string log) => ContainerLog.Lines(log);

    private async Task RegisterAsync(string family, string script) =>
        await _aws.OkAsync("ecs", "register-task-definition", "--family", family, "--network-mode", "awsvpc", "--container-definitions", JsonSerializer.Serialize(new[]
        {
            new { name = "app", image = "busybox", memory = 32, essential = true, command = new[] { "sh", "-c", script } },
        }));
}
