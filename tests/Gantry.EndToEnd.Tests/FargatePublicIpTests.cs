using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// <c>assignPublicIp ENABLED</c> through the real AWS CLI on a `gantry server` with one `gantry agent --capacity fargate`
/// (publishing on 127.0.0.1, as tests must): a Fargate busybox httpd answers on the node's address at its container
/// port with no load balancer (its metadata endpoint shows the port), a second task wanting that port cannot share the node (RESOURCE:PORTS), and once the task
/// stops the port is closed and free again. An EC2 launch asking for a public IP gets ECS's refusal.
/// </summary>
public sealed class FargatePublicIpTests : IAsyncLifetime
{
    private const string Cluster = "public";
    private const int Port = 18080;
    private const string Family = "e2e-public-web";
    private SingleNode _node = null!;
    private string _subnet = null!;

    /// <summary>The default VPC's default subnet (ECS refuses subnets that do not exist), with a public IP.</summary>
    private string Public => $"awsvpcConfiguration={{subnets=[{_subnet}],assignPublicIp=ENABLED}}";

    private AwsCli Aws => _node.Aws;

    public async Task InitializeAsync()
    {
        _node = await SingleNode.StartAsync(Cluster, 226);
        _subnet = await Aws.DefaultSubnetAsync();
        await SampleImage.ImportBusyboxAsync(_node.Server);
        var token = (await _node.Server.CliAsync(null, "node", "token", "create", "--cluster", Cluster, "--capacity", "fargate")).Trim();
        await _node.StartAgentAsync("--join-token", token, "--capacity", "fargate");
        await Aws.OkAsync("ecs", "register-task-definition", "--family", Family, "--requires-compatibilities", "FARGATE", "EC2", "--network-mode", "awsvpc",
            "--cpu", "256", "--memory", "512", "--container-definitions", $$"""
            [{"name":"web","image":"busybox","essential":true,"portMappings":[{"containerPort":{{Port}},"protocol":"tcp"}],
              "command":["sh","-c","mkdir -p /www && echo public > /www/index.html && (until wget -qO /www/meta.json $ECS_CONTAINER_METADATA_URI_V4; do sleep 0.2; done &) && exec httpd -f -p {{Port}} -h /www"]}]
            """);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_Fargate_task_with_a_public_IP_answers_on_the_node_address_until_it_stops()
    {
        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--launch-type", "FARGATE", "--task-definition", Family, "--network-configuration", Public);
        Assert.Empty(run.GetProperty("failures").EnumerateArray());
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", arn);

        var task = (await Aws.OkAsync("ecs", "describe-tasks", "--cluster", Cluster, "--tasks", arn)).GetProperty("tasks")[0];
        var binding = task.GetProperty("containers")[0].GetProperty("networkBindings")[0];
        Assert.Equal("127.0.0.1", binding.GetProperty("bindIP").GetString());
        Assert.Equal(Port, binding.GetProperty("containerPort").GetInt32());
        Assert.Equal(Port, binding.GetProperty("hostPort").GetInt32());
        Assert.Equal("tcp", binding.GetProperty("protocol").GetString());
        var eni = task.GetProperty("attachments")[0];
        Assert.Equal("ATTACHED", eni.GetProperty("status").GetString());
        Assert.Contains(eni.GetProperty("details").EnumerateArray(),
            d => d.GetProperty("name").GetString() == "subnetId" && d.GetProperty("value").GetString() == _subnet);
        Assert.Equal("public\n", await TaskCliTests.FirstAnswerAsync(new Uri($"http://127.0.0.1:{Port}/")));
        // The container's own metadata (TMDS v4), fetched inside the task and served back through the public port.
        var metadata = JsonDocument.Parse(await TaskCliTests.FirstAnswerAsync(new Uri($"http://127.0.0.1:{Port}/meta.json"))).RootElement;
        var port = metadata.GetProperty("Ports")[0];
        Assert.Equal((Port, "tcp", Port, "127.0.0.1"),
            (port.GetProperty("ContainerPort").GetInt32(), port.GetProperty("Protocol").GetString(), port.GetProperty("HostPort").GetInt32(), port.GetProperty("HostIp").GetString()));

        // The pool has one node and the port is held there: a second task cannot be placed.
        var second = await Aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--launch-type", "FARGATE", "--task-definition", Family, "--network-configuration", Public);
        Assert.Empty(second.GetProperty("tasks").EnumerateArray());
        Assert.Equal("RESOURCE:PORTS", second.GetProperty("failures")[0].GetProperty("reason").GetString());

        await Aws.OkAsync("ecs", "stop-task", "--cluster", Cluster, "--task", arn);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--cluster", Cluster, "--tasks", arn);

        // Nothing left listening on the port, and the node can bind it again: no relay or rule outlives the task.
        await Eventually.TrueAsync(async () => !await AnswersAsync(Port));
        using (var listener = new TcpListener(IPAddress.Loopback, Port))
        {
            listener.Start();
        }
        var again = await Aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--launch-type", "FARGATE", "--task-definition", Family, "--network-configuration", Public);
        Assert.Empty(again.GetProperty("failures").EnumerateArray());
        var againArn = again.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", againArn);
        Assert.Equal("public\n", await TaskCliTests.FirstAnswerAsync(new Uri($"http://127.0.0.1:{Port}/")));
        await Aws.OkAsync("ecs", "stop-task", "--cluster", Cluster, "--task", againArn);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--cluster", Cluster, "--tasks", againArn);
    }

    [Fact]
    public async Task An_EC2_launch_with_a_public_IP_is_refused_with_ECS_wording_and_starts_nothing()
    {
        var refused = await Aws.RunAsync("ecs", "run-task", "--cluster", Cluster, "--launch-type", "EC2", "--task-definition", Family, "--network-configuration", Public);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("(InvalidParameterException)", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains(": Assign public IP is not supported for this launch type.", refused.StandardError, StringComparison.Ordinal);
        var tasks = await Aws.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--family", Family, "--desired-status", "RUNNING");
        Assert.Empty(tasks.GetProperty("taskArns").EnumerateArray());
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
