using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>CreateRule, DescribeRules, ModifyRule, DeleteRule and SetRulePriorities, through the real AWS CLI.</summary>
public sealed class RuleApiTests : IClassFixture<SignedApiTestHost>, IDisposable
{
    private const string Fixed200 = "Type=fixed-response,FixedResponseConfig={StatusCode=200}";
    private readonly LoadBalancerTestCli _aws;
    private readonly LoadBalancerFixtures _fixtures;

    public RuleApiTests(SignedApiTestHost host)
    {
        _aws = new LoadBalancerTestCli(host);
        _fixtures = new LoadBalancerFixtures(host, _aws);
    }

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task Rules_of_every_condition_type_are_described_in_priority_order_before_the_default_rule()
    {
        var lb = await _fixtures.BalancerAsync("rules-all");
        var group = await _fixtures.TargetGroupAsync("rules-all-tg");
        var listener = await _fixtures.ListenerAsync(lb, 80, Fixed200);
        await CreateAsync(listener, 20, "Field=path-pattern,Values=/api/*", $"Type=forward,TargetGroupArn={group}");
        await CreateAsync(listener, 10, "Field=host-header,HostHeaderConfig={Values=[api.example.com]}", Fixed200);
        await CreateAsync(listener, 30, Conditions(new { Field = "http-header", HttpHeaderConfig = new { HttpHeaderName = "X-Canary", Values = new[] { "on" } } }), Fixed200);
        await CreateAsync(listener, 40, Conditions(new { Field = "http-request-method", HttpRequestMethodConfig = new { Values = new[] { "GET", "HEAD" } } }), Fixed200);
        await CreateAsync(listener, 50, Conditions(new { Field = "query-string", QueryStringConfig = new { Values = new[] { new { Key = "v", Value = "2" } } } }), Fixed200);
        await CreateAsync(listener, 60, Conditions(new { Field = "source-ip", SourceIpConfig = new { Values = new[] { "10.0.0.0/8" } } }), Fixed200);

        var rules = (await _aws.OkAsync("elbv2", "describe-rules", "--listener-arn", listener)).GetProperty("Rules").EnumerateArray().ToList();
        Assert.Equal(["10", "20", "30", "40", "50", "60", "default"], rules.Select(r => r.GetProperty("Priority").GetString()));
        Assert.True(rules[^1].GetProperty("IsDefault").GetBoolean());
        Assert.Equal("200", rules[^1].GetProperty("Actions")[0].GetProperty("FixedResponseConfig").GetProperty("StatusCode").GetString());
        var path = rules[1].GetProperty("Conditions")[0];
        Assert.Equal(["/api/*"], path.GetProperty("PathPatternConfig").GetProperty("Values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["/api/*"], path.GetProperty("Values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("X-Canary", rules[2].GetProperty("Conditions")[0].GetProperty("HttpHeaderConfig").GetProperty("HttpHeaderName").GetString());
        Assert.Equal("v", rules[4].GetProperty("Conditions")[0].GetProperty("QueryStringConfig").GetProperty("Values")[0].GetProperty("Key").GetString());

        var byArn = await _aws.OkAsync("elbv2", "describe-rules", "--rule-arns", rules[^1].GetProperty("RuleArn").GetString()!);
        Assert.True(byArn.GetProperty("Rules")[0].GetProperty("IsDefault").GetBoolean());
    }

    [Fact]
    public async Task Priorities_are_unique_per_listener_and_can_be_swapped_together()
    {
        var lb = await _fixtures.BalancerAsync("rules-prio");
        var listener = await _fixtures.ListenerAsync(lb, 80, Fixed200);
        var five = await CreateAsync(listener, 5, "Field=path-pattern,Values=/a", Fixed200);
        var six = await CreateAsync(listener, 6, "Field=path-pattern,Values=/b", Fixed200);
        Assert.Equal("Priority '5' is currently in use", await _aws.FailsAsync("PriorityInUse", "elbv2", "create-rule", "--listener-arn", listener,
            "--priority", "5", "--conditions", "Field=path-pattern,Values=/c", "--actions", Fixed200));
        Assert.Equal("Priority '6' is currently in use", await _aws.FailsAsync("PriorityInUse", "elbv2", "set-rule-priorities",
            "--rule-priorities", $"RuleArn={five},Priority=6"));

        await _aws.OkAsync("elbv2", "set-rule-priorities", "--rule-priorities", $"RuleArn={five},Priority=6", $"RuleArn={six},Priority=5");
        var rules = (await _aws.OkAsync("elbv2", "describe-rules", "--listener-arn", listener)).GetProperty("Rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("RuleArn").GetString()!, r => r.GetProperty("Priority").GetString());
        Assert.Equal(("6", "5"), (rules[five], rules[six]));
    }

    [Fact]
    public async Task Modify_and_delete_change_stored_rules_but_not_the_default_rule()
    {
        var lb = await _fixtures.BalancerAsync("rules-mod");
        var listener = await _fixtures.ListenerAsync(lb, 80, Fixed200);
        var rule = await CreateAsync(listener, 1, "Field=path-pattern,Values=/old", Fixed200);
        var modified = (await _aws.OkAsync("elbv2", "modify-rule", "--rule-arn", rule, "--conditions", "Field=path-pattern,Values=/new")).GetProperty("Rules")[0];
        Assert.Equal("/new", modified.GetProperty("Conditions")[0].GetProperty("Values")[0].GetString());

        var defaultRule = (await _aws.OkAsync("elbv2", "describe-rules", "--listener-arn", listener)).GetProperty("Rules")[1].GetProperty("RuleArn").GetString()!;
        Assert.Equal($"Default rule '{defaultRule}' cannot be deleted", await _aws.FailsAsync("OperationNotPermitted", "elbv2", "delete-rule", "--rule-arn", defaultRule));
        await _aws.OkAsync("elbv2", "delete-rule", "--rule-arn", rule);
        Assert.Equal("One or more rules not found", await _aws.FailsAsync("RuleNotFound", "elbv2", "describe-rules", "--rule-arns", rule));
    }

    [Fact]
    public async Task Conditions_beyond_ELB_limits_are_refused_as_ELB_words_them()
    {
        var lb = await _fixtures.BalancerAsync("rules-limits");
        var listener = await _fixtures.ListenerAsync(lb, 80, Fixed200);
        Assert.Equal("A condition can only have '3' values", await _aws.FailsAsync("ValidationError", "elbv2", "create-rule", "--listener-arn", listener,
            "--priority", "1", "--conditions", "Field=path-pattern,Values=/a,/b,/c,/d", "--actions", Fixed200));
        Assert.Equal("A rule can only have one 'path-pattern' condition", await _aws.FailsAsync("ValidationError", "elbv2", "create-rule",
            "--listener-arn", listener, "--priority", "1", "--conditions", "Field=path-pattern,Values=/a", "Field=path-pattern,Values=/b", "--actions", Fixed200));
        Assert.Equal("A rule can only have '5' condition values", await _aws.FailsAsync("ValidationError", "elbv2", "create-rule", "--listener-arn", listener,
            "--priority", "1", "--conditions", "Field=path-pattern,Values=/a,/b,/c", "Field=host-header,Values=a.example.com,b.example.com,c.example.com",
            "--actions", Fixed200));
        Assert.Equal("You cannot provide both Values and 'HostHeaderConfig' for a condition of type 'host-header'", await _aws.FailsAsync("ValidationError",
            "elbv2", "create-rule", "--listener-arn", listener, "--priority", "1",
            "--conditions", Conditions(new { Field = "host-header", Values = new[] { "a.example.com" }, HostHeaderConfig = new { Values = new[] { "b.example.com" } } }),
            "--actions", Fixed200));
        Assert.Equal("1 validation error detected: Value '50001' at 'priority' failed to satisfy constraint: Member must have value less than or equal to 50000",
            await _aws.FailsAsync("ValidationError", "elbv2", "create-rule", "--listener-arn", listener, "--priority", "50001",
                "--conditions", "Field=path-pattern,Values=/a", "--actions", Fixed200));
    }

    [Fact]
    public async Task A_network_load_balancer_listener_takes_no_rules()
    {
        var lb = await _fixtures.BalancerAsync("rules-nlb", "network");
        var group = await _fixtures.TargetGroupAsync("rules-nlb-tcp", "TCP");
        var listener = await _fixtures.ListenerAsync(lb, 7000, $"Type=forward,TargetGroupArn={group}", "TCP");
        Assert.Contains("network load balancer", await _aws.FailsAsync("ValidationError", "elbv2", "create-rule", "--listener-arn", listener,
            "--priority", "1", "--conditions", "Field=path-pattern,Values=/a", "--actions", $"Type=forward,TargetGroupArn={group}"), StringComparison.Ordinal);
    }

    private async Task<string> CreateAsync(string listener, int priority, string conditions, string actions) =>
        (await _aws.OkAsync("elbv2", "create-rule", "--listener-arn", listener, "--priority", priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--conditions", conditions, "--actions", actions)).GetProperty("Rules")[0].GetProperty("RuleArn").GetString()!;

    private static string Conditions(object condition) => JsonSerializer.Serialize(new[] { condition });
}
