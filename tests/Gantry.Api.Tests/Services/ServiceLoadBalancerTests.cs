using System.Diagnostics;
using System.Text.Json;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Tests.Services;

/// <summary>CreateService/UpdateService <c>loadBalancers</c> through the real AWS CLI v2: ECS's checks and wording, and what is kept.</summary>
public sealed class ServiceLoadBalancerTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private const string Cli = "/usr/bin/aws";
    private readonly string _home = Directory.CreateTempSubdirectory("gantry-cli-").FullName;
    private readonly ElbArns _arns = new(AwsAccount.Default);

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task A_bridge_service_with_an_instance_target_group_keeps_its_load_balancers_and_grace_period()
    {
        var cluster = await ClusterAsync();
        var group = await TargetGroupAsync("instance", forwarded: true);
        var (exit, stdout, stderr) = await EcsAsync("create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", "lb-bridge",
            "--desired-count", "0", "--health-check-grace-period-seconds", "30",
            "--load-balancers", $"targetGroupArn={group},containerName=app,containerPort=80");
        Assert.True(exit == 0, stderr);
        var created = JsonDocument.Parse(stdout).RootElement.GetProperty("service");
        Assert.Equal(30, created.GetProperty("healthCheckGracePeriodSeconds").GetInt32());

        var (_, described, _) = await EcsAsync("describe-services", "--cluster", cluster, "--services", "web");
        var service = JsonDocument.Parse(described).RootElement.GetProperty("services")[0];
        var balancer = Assert.Single(service.GetProperty("loadBalancers").EnumerateArray());
        Assert.Equal(group, balancer.GetProperty("targetGroupArn").GetString());
        Assert.Equal("app", balancer.GetProperty("containerName").GetString());
        Assert.Equal(80, balancer.GetProperty("containerPort").GetInt32());
    }

    [Fact]
    public async Task An_awsvpc_service_refuses_an_instance_target_group_in_ECS_words()
    {
        var cluster = await ClusterAsync();
        var group = await TargetGroupAsync("instance", forwarded: true);
        var subnet = await host.DefaultSubnetAsync();
        var (exit, _, stderr) = await EcsAsync("create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", "lb-awsvpc",
            "--desired-count", "0", "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}]}}",
            "--load-balancers", $"targetGroupArn={group},containerName=app,containerPort=80");
        Assert.Equal(254, exit);
        Assert.Equal("An error occurred (InvalidParameterException) when calling the CreateService operation: "
            + $"The provided target group {group} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.",
            stderr.Trim());
    }

    [Fact]
    public async Task A_bridge_service_refuses_an_ip_target_group()
    {
        var cluster = await ClusterAsync();
        var group = await TargetGroupAsync("ip", forwarded: true);
        var stderr = await RefusedAsync(cluster, "lb-bridge", $"targetGroupArn={group},containerName=app,containerPort=80");
        Assert.Contains($"The provided target group {group} has target type ip, which is incompatible with the bridge network mode specified in the task definition.",
            stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_container_and_its_port_must_be_in_the_task_definition()
    {
        var cluster = await ClusterAsync();
        var group = await TargetGroupAsync("instance", forwarded: true);
        Assert.Contains("The container nope does not exist in the task definition.",
            await RefusedAsync(cluster, "lb-bridge", $"targetGroupArn={group},containerName=nope,containerPort=80"), StringComparison.Ordinal);
        Assert.Contains("The container app did not have a container port 81 defined.",
            await RefusedAsync(cluster, "lb-bridge", $"targetGroupArn={group},containerName=app,containerPort=81"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_target_group_must_exist_and_have_a_load_balancer_and_classic_load_balancers_are_refused()
    {
        var cluster = await ClusterAsync();
        var missing = _arns.TargetGroup("missing", ElbArns.NewId());
        Assert.Contains($"{missing}: the target group does not exist.",
            await RefusedAsync(cluster, "lb-bridge", $"targetGroupArn={missing},containerName=app,containerPort=80"), StringComparison.Ordinal);
        var alone = await TargetGroupAsync("instance", forwarded: false);
        Assert.Contains($"The target group with targetGroupArn {alone} does not have an associated load balancer.",
            await RefusedAsync(cluster, "lb-bridge", $"targetGroupArn={alone},containerName=app,containerPort=80"), StringComparison.Ordinal);
        Assert.Contains("loadBalancers[0].loadBalancerName (Classic Load Balancer; use targetGroupArn) is not supported by Gantry yet.",
            await RefusedAsync(cluster, "lb-bridge", "loadBalancerName=classic,containerName=app,containerPort=80"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_five_load_balancers()
    {
        var cluster = await ClusterAsync();
        var group = await TargetGroupAsync("instance", forwarded: true);
        var six = Enumerable.Range(0, 6).Select(_ => $"targetGroupArn={group},containerName=app,containerPort=80").ToArray();
        Assert.Contains("loadBalancers can have at most 5 items.", await RefusedAsync(cluster, "lb-bridge", six), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_load_balancers_starts_a_new_deployment_and_keeping_them_does_not()
    {
        var cluster = await ClusterAsync();
        var first = await TargetGroupAsync("instance", forwarded: true);
        var second = await TargetGroupAsync("instance", forwarded: true);
        var (exit, _, stderr) = await EcsAsync("create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", "lb-bridge",
            "--desired-count", "0", "--load-balancers", $"targetGroupArn={first},containerName=app,containerPort=80");
        Assert.True(exit == 0, stderr);

        (exit, var stdout, stderr) = await EcsAsync("update-service", "--cluster", cluster, "--service", "web",
            "--load-balancers", $"targetGroupArn={first},containerName=app,containerPort=80");
        Assert.True(exit == 0, stderr);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("service").GetProperty("deployments").GetArrayLength());

        (exit, stdout, stderr) = await EcsAsync("update-service", "--cluster", cluster, "--service", "web",
            "--load-balancers", $"targetGroupArn={second},containerName=app,containerPort=80");
        Assert.True(exit == 0, stderr);
        var service = JsonDocument.Parse(stdout).RootElement.GetProperty("service");
        Assert.Equal(2, service.GetProperty("deployments").GetArrayLength());
        Assert.Equal(second, service.GetProperty("loadBalancers")[0].GetProperty("targetGroupArn").GetString());

        Assert.Contains("The container app did not have a container port 81 defined.", (await EcsAsync("update-service", "--cluster", cluster, "--service", "web",
            "--load-balancers", $"targetGroupArn={second},containerName=app,containerPort=81")).Stderr, StringComparison.Ordinal);
    }

    private async Task<string> RefusedAsync(string cluster, string definition, params string[] balancers)
    {
        var (exit, _, stderr) = await EcsAsync(["create-service", "--cluster", cluster, "--service-name", "web", "--task-definition", definition,
            "--desired-count", "0", "--load-balancers", .. balancers]);
        Assert.Equal(254, exit);
        Assert.StartsWith("An error occurred (InvalidParameterException) when calling the CreateService operation: ", stderr.Trim(), StringComparison.Ordinal);
        return stderr;
    }

    /// <summary>A new cluster, and the task definitions the services run (registered again: the same revisions' content).</summary>
    private async Task<string> ClusterAsync()
    {
        var cluster = $"lb-{Guid.NewGuid():N}"[..16];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition",
            """{"family":"lb-bridge","containerDefinitions":[{"name":"app","image":"busybox","memory":16,"essential":true,"portMappings":[{"containerPort":80}]}]}""")).Status);
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition",
            """{"family":"lb-awsvpc","networkMode":"awsvpc","containerDefinitions":[{"name":"app","image":"busybox","memory":16,"essential":true,"portMappings":[{"containerPort":80}]}]}""")).Status);
        return cluster;
    }

    /// <summary>A target group in the store, forwarded to by a listener of a load balancer when <paramref name="forwarded"/>.</summary>
    private async Task<string> TargetGroupAsync(string targetType, bool forwarded)
    {
        var documents = new Documents(host.Store, Gantry.Domain.Json.AwsJson.Options);
        var name = $"tg-{Guid.NewGuid():N}"[..20];
        var arn = _arns.TargetGroup(name, ElbArns.NewId());
        var group = new TargetGroup { TargetGroupArn = arn, TargetGroupName = name, Protocol = "HTTP", Port = 80, TargetType = targetType, VpcId = "vpc-gantry" };
        var ops = new List<WriteOp> { documents.Put(ElbKinds.TargetGroup, name, new TargetGroupRecord(group, [], [], []), WriteOp.MustNotExist) };
        if (forwarded)
        {
            var balancerId = ElbArns.NewId();
            var listenerId = ElbArns.NewId();
            var listener = new Listener
            {
                ListenerArn = _arns.Listener("application", name, balancerId, listenerId),
                LoadBalancerArn = _arns.LoadBalancer("application", name, balancerId),
                Port = 80,
                Protocol = "HTTP",
                DefaultActions = [new ElbAction { Type = "forward", TargetGroupArn = arn }],
            };
            ops.Add(documents.Put(ElbKinds.Listener, $"{name}/{listenerId}", new ListenerRecord(listener, []), WriteOp.MustNotExist));
        }
        await host.Store.CommitAsync(ops, CancellationToken.None);
        return arn;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> EcsAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--endpoint-url", host.Endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager", "ecs" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_SESSION_TOKEN" })
        {
            info.Environment.Remove(name);
        }
        info.Environment["HOME"] = _home;
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(_home, "config");
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_home, "credentials");
        info.Environment["AWS_ACCESS_KEY_ID"] = host.Key.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "unchecked-by-the-test-host";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start aws");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
