using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Fargate launches through the real AWS CLI on two pool nodes (FARGATE and FARGATE_SPOT): the standard Fargate
/// definition with `--launch-type FARGATE` and with a capacity provider strategy, what DescribeTasks shows, a service
/// split by base and weight (and kept so when it scales in), the task metadata endpoint from inside a Fargate task
/// (refused to a task of another cluster on the same node), and ephemeral storage that ends in ENOSPC for the task.
/// </summary>
public sealed class FargateLaunchTests(FargateNodes nodes, ITestOutputHelper output) : IClassFixture<FargateNodes>
{
    private const string C = FargateNodes.Cluster;
    private const string Group = "/e2e/fargate";
    private string Network => $"awsvpcConfiguration={{subnets=[{nodes.Subnet}],securityGroups=[{nodes.SecurityGroup}]}}";
    private AwsCli Aws => nodes.Aws;

    [Fact]
    public async Task The_sample_runs_with_launch_type_FARGATE_and_shows_what_Fargate_shows()
    {
        await RegisterAsync("fgt-sample", "mkdir -p /www && echo 'Amazon ECS Sample App' > /www/index.html && exec httpd -f -p 80 -h /www");

        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", C, "--task-definition", "fgt-sample", "--launch-type", "FARGATE", "--network-configuration", Network);
        Assert.Empty(run.GetProperty("failures").EnumerateArray());
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", C, "--tasks", arn);
        var task = (await Aws.OkAsync("ecs", "describe-tasks", "--cluster", C, "--tasks", arn)).GetProperty("tasks")[0];

        Assert.Equal("FARGATE", task.GetProperty("launchType").GetString());
        Assert.Equal("1.4.0", task.GetProperty("platformVersion").GetString());
        Assert.Equal("Linux", task.GetProperty("platformFamily").GetString());
        Assert.Equal("us-east-1a", task.GetProperty("availabilityZone").GetString());
        Assert.Equal(20, task.GetProperty("ephemeralStorage").GetProperty("sizeInGiB").GetInt32());
        Assert.Equal("256", task.GetProperty("cpu").GetString());
        Assert.Equal("512", task.GetProperty("memory").GetString());
        Assert.False(task.TryGetProperty("containerInstanceArn", out _));
        Assert.False(task.TryGetProperty("capacityProviderName", out _));

        var eni = Assert.Single(task.GetProperty("attachments").EnumerateArray());
        Assert.Equal("ElasticNetworkInterface", eni.GetProperty("type").GetString());
        Assert.Equal("ATTACHED", eni.GetProperty("status").GetString());
        var details = eni.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("value").GetString()!);
        Assert.Equal(nodes.Subnet, details["subnetId"]);
        Assert.Matches("^eni-[0-9a-f]{17}$", details["networkInterfaceId"]);
        Assert.Matches("^0e(:[0-9a-f]{2}){5}$", details["macAddress"]);
        var address = details["privateIPv4Address"];
        Assert.Equal(0, await FargateNodes.NodeOfAsync(address));
        var cidr = (await Aws.OkAsync("ec2", "describe-subnets", "--subnet-ids", nodes.Subnet)).GetProperty("Subnets")[0].GetProperty("CidrBlock").GetString()!;
        Assert.True(System.Net.IPNetwork.Parse(cidr).Contains(System.Net.IPAddress.Parse(address)), $"{address} is not in {cidr}");
        var described = (await Aws.OkAsync("ec2", "describe-network-interfaces", "--network-interface-ids", details["networkInterfaceId"]))
            .GetProperty("NetworkInterfaces")[0];
        Assert.Equal((address, details["macAddress"], nodes.Subnet), (described.GetProperty("PrivateIpAddress").GetString(),
            described.GetProperty("MacAddress").GetString(), described.GetProperty("SubnetId").GetString()));
        Assert.Equal($"ip-{address.Replace('.', '-')}.ec2.internal", details["privateDnsName"]);
        var container = task.GetProperty("containers")[0];
        Assert.Equal(address, container.GetProperty("networkInterfaces")[0].GetProperty("privateIpv4Address").GetString());
        Assert.Equal(eni.GetProperty("id").GetString(), container.GetProperty("networkInterfaces")[0].GetProperty("attachmentId").GetString());

        Assert.Equal("Amazon ECS Sample App\n", await TaskCliTests.FirstAnswerAsync(new Uri($"http://{address}:80/")));
        await Aws.OkAsync("ecs", "stop-task", "--cluster", C, "--task", arn);
    }

    [Fact]
    public async Task A_capacity_provider_strategy_runs_on_its_pool_and_names_the_provider()
    {
        await RegisterAsync("fgt-spot", "sleep 600");

        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", C, "--task-definition", "fgt-spot", "--count", "2", "--network-configuration", Network,
            "--capacity-provider-strategy", "capacityProvider=FARGATE_SPOT,weight=1");
        var arns = run.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()!).ToArray();
        Assert.Equal(2, arns.Length);
        await Aws.OkAsync(["ecs", "wait", "tasks-running", "--cluster", C, "--tasks", .. arns]);
        var tasks = (await Aws.OkAsync(["ecs", "describe-tasks", "--cluster", C, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray().ToList();
        foreach (var t in tasks)
        {
            Assert.Equal("FARGATE_SPOT", t.GetProperty("capacityProviderName").GetString());
            Assert.Equal("FARGATE", t.GetProperty("launchType").GetString());
            Assert.Equal("us-east-1b", t.GetProperty("availabilityZone").GetString());
            Assert.Equal(1, await FargateNodes.NodeOfAsync(Address(t)));
        }
        await Aws.OkAsync(["ecs", "stop-task", "--cluster", C, "--task", arns[0]]);
        await Aws.OkAsync(["ecs", "stop-task", "--cluster", C, "--task", arns[1]]);
    }

    [Fact]
    public async Task A_service_over_FARGATE_base_1_and_FARGATE_SPOT_weight_3_lands_1_and_3_and_keeps_the_split_when_it_scales_in()
    {
        await RegisterAsync("fgt-split", "sleep 600");
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "split", "--task-definition", "fgt-split", "--desired-count", "4",
            "--network-configuration", Network,
            "--capacity-provider-strategy", "capacityProvider=FARGATE,base=1,weight=1", "capacityProvider=FARGATE_SPOT,weight=3");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "split");
        Assert.Equal((1, 3), await SplitAsync("split"));

        await Aws.OkAsync("ecs", "update-service", "--cluster", C, "--service", "split", "--desired-count", "8");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "split");
        var (fargate, spot) = await SplitAsync("split");
        Assert.Equal(8, fargate + spot);
        Assert.True(spot > fargate, $"{fargate} FARGATE and {spot} FARGATE_SPOT tasks");

        await Aws.OkAsync("ecs", "update-service", "--cluster", C, "--service", "split", "--desired-count", "4");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "split");
        Assert.Equal((1, 3), await SplitAsync("split"));

        var service = (await Aws.OkAsync("ecs", "describe-services", "--cluster", C, "--services", "split")).GetProperty("services")[0];
        Assert.False(service.TryGetProperty("launchType", out _));
        Assert.Equal("LATEST", service.GetProperty("platformVersion").GetString());
        await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", "split", "--force");
    }

    [Fact]
    public async Task A_Fargate_task_reads_its_metadata_and_a_task_of_another_cluster_on_the_same_node_is_refused_it()
    {
        await RegisterAsync("fgt-reader", "echo URI=$ECS_CONTAINER_METADATA_URI_V4; wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task; echo; echo END; sleep 600", logs: true);
        var (readerArn, readerLog) = await RunLoggedAsync(C, "fgt-reader");
        var uri = readerLog.Single(l => l.StartsWith("URI=", StringComparison.Ordinal))["URI=".Length..];
        var metadata = JsonDocument.Parse(readerLog.Single(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(readerArn, metadata.GetProperty("TaskARN").GetString());
        Assert.Equal("FARGATE", metadata.GetProperty("LaunchType").GetString());
        Assert.Equal("us-east-1a", metadata.GetProperty("AvailabilityZone").GetString());
        Assert.Equal(0.25, metadata.GetProperty("Limits").GetProperty("CPU").GetDouble());
        Assert.Equal(512, metadata.GetProperty("Limits").GetProperty("Memory").GetInt32());
        var network = metadata.GetProperty("Containers")[0].GetProperty("Networks")[0];
        Assert.Equal("awsvpc", network.GetProperty("NetworkMode").GetString());
        Assert.Equal(0, await FargateNodes.NodeOfAsync(network.GetProperty("IPv4Addresses")[0].GetString()!));

        // A task of the other cluster, on the same FARGATE node, with the reader's URI.
        await RegisterAsync("fgt-intruder", $"wget -qO- {uri}/task 2>&1; echo rc=$?; echo END; sleep 600", logs: true);
        var (_, intruderLog) = await RunLoggedAsync(FargateNodes.OtherCluster, "fgt-intruder");
        Assert.Contains(intruderLog, l => l.Contains("404", StringComparison.Ordinal));
        Assert.DoesNotContain(intruderLog, l => l.Contains(readerArn, StringComparison.Ordinal));
        Assert.Contains("rc=1", intruderLog);
    }

    [Fact]
    public async Task Writing_past_the_ephemeral_storage_gives_the_task_ENOSPC_and_the_node_keeps_its_disk()
    {
        await RegisterAsync("fgt-fill", "fallocate -l 22G /fill 2>&1; echo rc=$?; rm -f /fill; fallocate -l 100M /small; echo small=$?; df -k / | tail -1; echo END; sleep 600",
            logs: true, edit: d => d["ephemeralStorage"] = new JsonObject { ["sizeInGiB"] = 21 });
        var (arn, log) = await RunLoggedAsync(C, "fgt-fill");

        Assert.Contains(log, l => l.Contains("No space left on device", StringComparison.Ordinal));
        Assert.Contains("rc=1", log);
        Assert.Contains("small=0", log);
        // The task's filesystem is its own 21 GiB; the node's disk holds only what the task wrote (sparse image).
        var size = long.Parse(log.Single(l => l.EndsWith(" /", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.InRange(size, 20L * 1024 * 1024, 21L * 1024 * 1024);
        var image = Directory.GetFiles(Path.Combine(nodes.StateDirectories[0], "sandboxes"), "*.ext4").Single(f => f.Contains(arn[(arn.LastIndexOf('/') + 1)..], StringComparison.Ordinal));
        var used = long.Parse((await Tool.OkAsync("/usr/bin/du", ["-k", image])).Split('\t')[0], CultureInfo.InvariantCulture);
        Assert.InRange(used, 1, 2L * 1024 * 1024);
        await Aws.OkAsync("ecs", "stop-task", "--cluster", C, "--task", arn);
    }

    [Fact]
    public async Task Boto3_runs_a_Fargate_task_both_ways_and_hostile_input_gets_a_4xx_that_starts_nothing()
    {
        var seen = await Boto3.RunAsync(nodes.Server, "fargate_boto3.py", C, nodes.Subnet);

        foreach (var (way, provider, node) in new[] { ("launchType", (string?)null, 0), ("strategy", "FARGATE_SPOT", 1) })
        {
            var task = seen.GetProperty(way);
            Assert.Equal("FARGATE", task.GetProperty("launchType").GetString());
            Assert.Equal(provider, task.GetProperty("capacityProviderName").GetString());
            Assert.Equal("1.4.0", task.GetProperty("platformVersion").GetString());
            Assert.Equal("RUNNING", task.GetProperty("lastStatus").GetString());
            Assert.Equal("1024", task.GetProperty("cpu").GetString());
            Assert.Equal("2048", task.GetProperty("memory").GetString());
            Assert.Equal(JsonValueKind.Null, task.GetProperty("containerInstanceArn").ValueKind);
            Assert.Equal(nodes.Subnet, task.GetProperty("attachment").GetProperty("subnetId").GetString());
            Assert.Equal(node, await FargateNodes.NodeOfAsync(task.GetProperty("attachment").GetProperty("privateIPv4Address").GetString()!));
        }
        foreach (var hostile in seen.GetProperty("hostile").EnumerateObject())
        {
            output.WriteLine($"{hostile.Name}: {hostile.Value}");
            Assert.Equal(400, hostile.Value.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(hostile.Value.GetProperty("message").GetString()), hostile.Name);
        }
        string Message(string name) => seen.GetProperty("hostile").GetProperty(name).GetProperty("message").GetString()!;
        Assert.Equal("Invalid value for member 'count': expected an integer.", Message("count_as_string"));
        Assert.Equal("Invalid value for member 'networkConfiguration.awsvpcConfiguration.subnets[0]': A list element is null; list elements must not be null.",
            Message("null_subnet_entry"));
        Assert.Equal("Network Configuration must be provided when networkMode 'awsvpc' is specified.", Message("no_network"));
        Assert.Equal(0, seen.GetProperty("tasks_after_hostile").GetInt32());
    }

    private static string Address(JsonElement task) =>
        task.GetProperty("containers")[0].GetProperty("networkInterfaces")[0].GetProperty("privateIpv4Address").GetString()!;

    /// <summary>How many of the service's running tasks run on FARGATE and on FARGATE_SPOT.</summary>
    private async Task<(int Fargate, int Spot)> SplitAsync(string service)
    {
        var arns = (await Aws.OkAsync("ecs", "list-tasks", "--cluster", C, "--service-name", service, "--desired-status", "RUNNING"))
            .GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()!).ToArray();
        var tasks = (await Aws.OkAsync(["ecs", "describe-tasks", "--cluster", C, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray().ToList();
        foreach (var t in tasks)
        {
            Assert.Equal(t.GetProperty("capacityProviderName").GetString() == "FARGATE" ? 0 : 1, await FargateNodes.NodeOfAsync(Address(t)));
        }
        return (tasks.Count(t => t.GetProperty("capacityProviderName").GetString() == "FARGATE"),
            tasks.Count(t => t.GetProperty("capacityProviderName").GetString() == "FARGATE_SPOT"));
    }

    /// <summary>Registers a Fargate busybox definition (execution role, optionally awslogs to <see cref="Group"/>).</summary>
    private async Task RegisterAsync(string family, string script, bool logs = false, Action<JsonObject>? edit = null)
    {
        var container = new JsonObject
        {
            ["name"] = "app",
            ["image"] = "busybox",
            ["essential"] = true,
            ["stopTimeout"] = 2,
            ["portMappings"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["protocol"] = "tcp" }),
            ["entryPoint"] = new JsonArray("sh", "-c"),
            ["command"] = new JsonArray(script),
        };
        if (logs)
        {
            container["logConfiguration"] = new JsonObject
            {
                ["logDriver"] = "awslogs",
                ["options"] = new JsonObject
                {
                    ["awslogs-group"] = Group,
                    ["awslogs-region"] = "us-east-1",
                    ["awslogs-stream-prefix"] = family,
                    ["awslogs-create-group"] = "true",
                },
            };
        }
        var definition = new JsonObject
        {
            ["family"] = family,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = "256",
            ["memory"] = "512",
            ["executionRoleArn"] = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
            ["containerDefinitions"] = new JsonArray(container),
        };
        edit?.Invoke(definition);
        var path = Path.Combine(nodes.Server.Home, $"{family}.json");
        await File.WriteAllTextAsync(path, definition.ToJsonString());
        await Aws.OkAsync("ecs", "register-task-definition", "--cli-input-json", $"file://{path}");
    }

    /// <summary>Runs the family's task with launch type FARGATE; returns its ARN and output lines once it printed END.</summary>
    private async Task<(string Arn, IReadOnlyList<string> Lines)> RunLoggedAsync(string cluster, string family)
    {
        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", cluster, "--task-definition", family, "--launch-type", "FARGATE", "--network-configuration", Network);
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var stream = $"{family}/app/{arn[(arn.LastIndexOf('/') + 1)..]}";
        List<string> lines = [];
        await Eventually.TrueAsync(async () =>
        {
            var events = await Aws.RunAsync("logs", "get-log-events", "--log-group-name", Group, "--log-stream-name", stream, "--start-from-head");
            lines = events.ExitCode == 0 ? [.. events.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)] : [];
            return lines.Contains("END");
        }, 90);
        foreach (var line in lines)
        {
            output.WriteLine($"{family}: {line}");
        }
        return (arn, lines);
    }
}
