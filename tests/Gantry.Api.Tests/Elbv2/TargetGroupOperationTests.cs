using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>Target groups and their attributes through the real AWS CLI: defaults, validation in ELB's wording, in-use refusals.</summary>
public sealed class TargetGroupOperationTests(TargetGroupTestHost host) : IClassFixture<TargetGroupTestHost>
{
    [Fact]
    public async Task A_new_group_has_ELBs_health_check_defaults_and_creating_it_again_answers_the_same_group()
    {
        var arn = await host.CreateGroupAsync("defaults", targetType: "instance");
        var group = (await host.OkAsync("describe-target-groups", "--names", "defaults")).GetProperty("TargetGroups")[0];
        Assert.Equal(arn, group.GetProperty("TargetGroupArn").GetString());
        Assert.StartsWith("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/defaults/", arn, StringComparison.Ordinal);
        Assert.Equal(("HTTP", "traffic-port", "/", "200"), (group.GetProperty("HealthCheckProtocol").GetString(), group.GetProperty("HealthCheckPort").GetString(),
            group.GetProperty("HealthCheckPath").GetString(), group.GetProperty("Matcher").GetProperty("HttpCode").GetString()));
        Assert.Equal((30, 5, 5, 2), (group.GetProperty("HealthCheckIntervalSeconds").GetInt32(), group.GetProperty("HealthCheckTimeoutSeconds").GetInt32(),
            group.GetProperty("HealthyThresholdCount").GetInt32(), group.GetProperty("UnhealthyThresholdCount").GetInt32()));
        Assert.Equal(("instance", "HTTP1", true), (group.GetProperty("TargetType").GetString(), group.GetProperty("ProtocolVersion").GetString(),
            group.GetProperty("HealthCheckEnabled").GetBoolean()));

        Assert.Equal(arn, await host.CreateGroupAsync("defaults", targetType: "instance"));
        Assert.Equal("An error occurred (DuplicateTargetGroupName) when calling the CreateTargetGroup operation: A target group with the same name 'defaults' exists, but with different settings",
            await host.FailAsync("create-target-group", "--name", "defaults", "--protocol", "HTTP", "--port", "8080", "--vpc-id", "vpc-1"));
    }

    [Theory]
    [InlineData("a-name-that-is-much-longer-than-32", "--protocol HTTP --port 80",
        "Target group name 'a-name-that-is-much-longer-than-32' cannot be longer than '32' characters")]
    [InlineData("under_score", "--protocol HTTP --port 80", "Target group name 'under_score' can only contain characters that are alphanumeric characters or hyphens(-)")]
    [InlineData("interval", "--protocol HTTP --port 80 --health-check-interval-seconds 301",
        "1 validation error detected: Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value less than or equal to 300")]
    [InlineData("healthy", "--protocol HTTP --port 80 --healthy-threshold-count 11",
        "1 validation error detected: Value '11' at 'healthyThresholdCount' failed to satisfy constraint: Member must have value less than or equal to 10")]
    [InlineData("timeout", "--protocol HTTP --port 80 --health-check-interval-seconds 10 --health-check-timeout-seconds 10", "Health check interval must be greater than the timeout.")]
    [InlineData("udp", "--protocol UDP --port 53", "Protocol 'UDP' is not supported by Gantry: target groups use HTTP, HTTPS or TCP")]
    [InlineData("grpc", "--protocol HTTP --port 80 --protocol-version GRPC", "Protocol version 'GRPC' is not supported by Gantry: use HTTP1 or HTTP2")]
    [InlineData("lambda", "--target-type lambda", "Target type 'lambda' is not supported by Gantry: target groups take 'instance' or 'ip' targets")]
    [InlineData("matcher", "--protocol HTTP --port 80 --matcher HttpCode=600",
        "Health check matcher HTTP code '600' must be codes or ranges of codes between 200 and 499, such as '200', '200,202' or '200-299'")]
    [InlineData("tcppath", "--protocol TCP --port 80 --health-check-path /x", "A health check path cannot be specified for TCP health checks")]
    public async Task Refused_settings_answer_ValidationError_naming_the_field(string name, string options, string message)
    {
        var error = await host.FailAsync(["create-target-group", "--name", name, "--vpc-id", "vpc-1", .. options.Split(' ')]);
        Assert.Equal($"An error occurred (ValidationError) when calling the CreateTargetGroup operation: {message}", error);
    }

    [Fact]
    public async Task Modify_changes_the_health_check_and_refuses_a_timeout_not_below_the_interval()
    {
        var arn = await host.CreateGroupAsync("modified");
        var group = (await host.OkAsync("modify-target-group", "--target-group-arn", arn, "--health-check-path", "/healthz", "--health-check-interval-seconds", "10",
            "--matcher", "HttpCode=200-299")).GetProperty("TargetGroups")[0];
        Assert.Equal(("/healthz", 10, "200-299"), (group.GetProperty("HealthCheckPath").GetString(), group.GetProperty("HealthCheckIntervalSeconds").GetInt32(),
            group.GetProperty("Matcher").GetProperty("HttpCode").GetString()));
        Assert.Equal("An error occurred (ValidationError) when calling the ModifyTargetGroup operation: Health check interval must be greater than the timeout.",
            await host.FailAsync("modify-target-group", "--target-group-arn", arn, "--health-check-timeout-seconds", "10"));
        var stored = (await host.OkAsync("describe-target-groups", "--target-group-arns", arn)).GetProperty("TargetGroups")[0];
        Assert.Equal(5, stored.GetProperty("HealthCheckTimeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task Unknown_groups_are_not_found_and_paging_returns_every_group_once()
    {
        Assert.Equal("An error occurred (TargetGroupNotFound) when calling the DescribeTargetGroups operation: One or more target groups not found",
            await host.FailAsync("describe-target-groups", "--names", "nothing-here"));
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
        {
            await host.CreateGroupAsync(name);
        }
        var names = new List<string?>();
        string? marker = null;
        do
        {
            var page = await host.OkAsync(["describe-target-groups", "--no-paginate", "--page-size", "2", .. marker is null ? Array.Empty<string>() : ["--marker", marker]]);
            names.AddRange(page.GetProperty("TargetGroups").EnumerateArray().Select(g => g.GetProperty("TargetGroupName").GetString()));
            marker = page.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
        }
        while (marker is not null);
        Assert.Equal(names.Distinct().Order(StringComparer.Ordinal), names);
        Assert.All(new[] { "page-a", "page-b", "page-c" }, name => Assert.Contains(name, names));
    }

    [Fact]
    public async Task A_group_in_use_by_a_listener_shows_its_load_balancer_and_cannot_be_deleted_until_it_is_not()
    {
        var arn = await host.CreateGroupAsync("used");
        var (balancer, listener) = await host.ForwardAsync("usedlb", arn);
        var group = (await host.OkAsync("describe-target-groups", "--load-balancer-arn", balancer)).GetProperty("TargetGroups");
        Assert.Equal([balancer], group[0].GetProperty("LoadBalancerArns").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(arn, Assert.Single(group.EnumerateArray()).GetProperty("TargetGroupArn").GetString());

        Assert.Equal($"An error occurred (ResourceInUse) when calling the DeleteTargetGroup operation: Target group '{arn}' is currently in use by a listener or a rule",
            await host.FailAsync("delete-target-group", "--target-group-arn", arn));
        await host.RemoveListenerAsync(listener);
        await host.OkAsync("delete-target-group", "--target-group-arn", arn);
        Assert.Equal("An error occurred (TargetGroupNotFound) when calling the DescribeTargetGroups operation: One or more target groups not found",
            await host.FailAsync("describe-target-groups", "--target-group-arns", arn));
    }

    [Fact]
    public async Task Attributes_have_ELBs_defaults_change_one_key_at_a_time_and_refuse_unknown_keys_and_bad_values()
    {
        var arn = await host.CreateGroupAsync("attributes");
        var defaults = Attributes(await host.OkAsync("describe-target-group-attributes", "--target-group-arn", arn));
        Assert.Equal(("300", "0", "false", "lb_cookie", "round_robin"), (defaults["deregistration_delay.timeout_seconds"], defaults["slow_start.duration_seconds"],
            defaults["stickiness.enabled"], defaults["stickiness.type"], defaults["load_balancing.algorithm.type"]));

        var changed = Attributes(await host.OkAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes",
            "Key=deregistration_delay.timeout_seconds,Value=30", "Key=stickiness.enabled,Value=true"));
        Assert.Equal(("30", "true", "86400"), (changed["deregistration_delay.timeout_seconds"], changed["stickiness.enabled"], changed["stickiness.lb_cookie.duration_seconds"]));

        Assert.Equal("An error occurred (ValidationError) when calling the ModifyTargetGroupAttributes operation: Target group attribute key 'no.such.key' is not recognized",
            await host.FailAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=no.such.key,Value=1"));
        Assert.Equal("An error occurred (ValidationError) when calling the ModifyTargetGroupAttributes operation: Target group attribute value '10' of key 'slow_start.duration_seconds' is not valid: it must be 0 (off) or an integer between 30 and 900",
            await host.FailAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=slow_start.duration_seconds,Value=10"));
        Assert.Equal("An error occurred (InvalidConfigurationRequest) when calling the ModifyTargetGroupAttributes operation: Slow start mode cannot be enabled when the load balancing algorithm type is 'least_outstanding_requests'",
            await host.FailAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=slow_start.duration_seconds,Value=60",
                "Key=load_balancing.algorithm.type,Value=least_outstanding_requests"));
        Assert.Equal("30", Attributes(await host.OkAsync("describe-target-group-attributes", "--target-group-arn", arn))["deregistration_delay.timeout_seconds"]);
    }

    [Fact]
    public async Task A_TCP_group_has_the_network_load_balancers_attributes_and_a_TCP_health_check()
    {
        var arn = await host.CreateGroupAsync("tcp", protocol: "TCP");
        var group = (await host.OkAsync("describe-target-groups", "--target-group-arns", arn)).GetProperty("TargetGroups")[0];
        Assert.Equal(("TCP", 10), (group.GetProperty("HealthCheckProtocol").GetString(), group.GetProperty("HealthCheckTimeoutSeconds").GetInt32()));
        Assert.False(group.TryGetProperty("HealthCheckPath", out _));
        var attributes = Attributes(await host.OkAsync("describe-target-group-attributes", "--target-group-arn", arn));
        Assert.Equal(("source_ip", "false", "false"), (attributes["stickiness.type"], attributes["proxy_protocol_v2.enabled"], attributes["preserve_client_ip.enabled"]));
        Assert.False(attributes.ContainsKey("slow_start.duration_seconds"));
        Assert.StartsWith("An error occurred (ValidationError) when calling the ModifyTargetGroupAttributes operation: Target group attribute value 'true' of key 'preserve_client_ip.enabled' is not valid: it must be 'false'",
            await host.FailAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=preserve_client_ip.enabled,Value=true"), StringComparison.Ordinal);
        var changed = Attributes(await host.OkAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes",
            "Key=proxy_protocol_v2.enabled,Value=true", "Key=deregistration_delay.connection_termination.enabled,Value=true"));
        Assert.Equal(("true", "true"), (changed["proxy_protocol_v2.enabled"], changed["deregistration_delay.connection_termination.enabled"]));
    }

    private static Dictionary<string, string> Attributes(JsonElement output) =>
        output.GetProperty("Attributes").EnumerateArray().ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString()!);
}
