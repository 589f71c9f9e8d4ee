using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>CreateListener, DescribeListeners, ModifyListener, DeleteListener and their default actions, through the real AWS CLI.</summary>
public sealed class ListenerApiTests : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws;
    private readonly LoadBalancerFixtures _fixtures;

    public ListenerApiTests(SignedApiTestHost host)
    {
        _aws = new LoadBalancerTestCli(host);
        _fixtures = new LoadBalancerFixtures(host, _aws);
    }

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_forward_listener_is_described_as_ELB_answers_it_and_a_port_is_used_once()
    {
        var lb = await _fixtures.BalancerAsync("listen-fwd");
        var group = await _fixtures.TargetGroupAsync("listen-fwd-tg");
        var arn = await _fixtures.ListenerAsync(lb, 80, $"Type=forward,TargetGroupArn={group}");
        Assert.Matches("^arn:aws:elasticloadbalancing:us-east-1:[0-9]{12}:listener/app/listen-fwd/[0-9a-f]{16}/[0-9a-f]{16}$", arn);

        var listener = Assert.Single((await _aws.OkAsync("elbv2", "describe-listeners", "--load-balancer-arn", lb)).GetProperty("Listeners").EnumerateArray());
        Assert.Equal(("HTTP", 80), (listener.GetProperty("Protocol").GetString(), listener.GetProperty("Port").GetInt32()));
        var action = Assert.Single(listener.GetProperty("DefaultActions").EnumerateArray());
        Assert.Equal((group, 1), (action.GetProperty("TargetGroupArn").GetString(), action.GetProperty("Order").GetInt32()));
        var tuple = Assert.Single(action.GetProperty("ForwardConfig").GetProperty("TargetGroups").EnumerateArray());
        Assert.Equal(1, tuple.GetProperty("Weight").GetInt32());

        Assert.Equal($"A listener already exists on this port for this load balancer '{lb}'", await _aws.FailsAsync("DuplicateListener",
            "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "80", "--default-actions", $"Type=forward,TargetGroupArn={group}"));
    }

    [Fact]
    public async Task A_weighted_forward_keeps_its_weights_and_stickiness()
    {
        var lb = await _fixtures.BalancerAsync("listen-weighted");
        var blue = await _fixtures.TargetGroupAsync("weighted-blue");
        var green = await _fixtures.TargetGroupAsync("weighted-green");
        var actions = JsonSerializer.Serialize(new[]
        {
            new
            {
                Type = "forward",
                ForwardConfig = new
                {
                    TargetGroups = new[] { new { TargetGroupArn = blue, Weight = 80 }, new { TargetGroupArn = green, Weight = 20 } },
                    TargetGroupStickinessConfig = new { Enabled = true, DurationSeconds = 300 },
                },
            },
        });
        await _fixtures.ListenerAsync(lb, 8080, actions);
        var action = (await _aws.OkAsync("elbv2", "describe-listeners", "--load-balancer-arn", lb)).GetProperty("Listeners")[0].GetProperty("DefaultActions")[0];
        var config = action.GetProperty("ForwardConfig");
        Assert.Equal([(blue, 80), (green, 20)], config.GetProperty("TargetGroups").EnumerateArray()
            .Select(t => (t.GetProperty("TargetGroupArn").GetString()!, t.GetProperty("Weight").GetInt32())));
        Assert.Equal((true, 300), (config.GetProperty("TargetGroupStickinessConfig").GetProperty("Enabled").GetBoolean(),
            config.GetProperty("TargetGroupStickinessConfig").GetProperty("DurationSeconds").GetInt32()));
        Assert.False(action.TryGetProperty("TargetGroupArn", out _));
    }

    [Fact]
    public async Task Fixed_response_and_redirect_listeners_are_stored_with_ELB_defaults_filled()
    {
        var lb = await _fixtures.BalancerAsync("listen-fixed");
        await _fixtures.ListenerAsync(lb, 81, "Type=fixed-response,FixedResponseConfig={StatusCode=404,ContentType=text/plain,MessageBody=nothing here}");
        await _fixtures.ListenerAsync(lb, 82, "Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}");
        var listeners = (await _aws.OkAsync("elbv2", "describe-listeners", "--load-balancer-arn", lb)).GetProperty("Listeners").EnumerateArray()
            .ToDictionary(l => l.GetProperty("Port").GetInt32(), l => l.GetProperty("DefaultActions")[0]);
        var fixedResponse = listeners[81].GetProperty("FixedResponseConfig");
        Assert.Equal(("404", "nothing here"), (fixedResponse.GetProperty("StatusCode").GetString(), fixedResponse.GetProperty("MessageBody").GetString()));
        var redirect = listeners[82].GetProperty("RedirectConfig");
        Assert.Equal(("HTTPS", "443", "#{host}", "/#{path}", "#{query}", "HTTP_301"), (redirect.GetProperty("Protocol").GetString(),
            redirect.GetProperty("Port").GetString(), redirect.GetProperty("Host").GetString(), redirect.GetProperty("Path").GetString(),
            redirect.GetProperty("Query").GetString(), redirect.GetProperty("StatusCode").GetString()));
    }

    [Fact]
    public async Task Invalid_listeners_are_refused_naming_the_field_or_resource()
    {
        var lb = await _fixtures.BalancerAsync("listen-bad");
        var tcpGroup = await _fixtures.TargetGroupAsync("listen-bad-tcp", "TCP");
        var missingGroup = tcpGroup.Replace("listen-bad-tcp", "nope", StringComparison.Ordinal);
        Assert.Equal("Listener protocol 'TCP' must be one of 'HTTPS, HTTP'", await _aws.FailsAsync("ValidationError",
            "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "TCP", "--port", "90", "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}"));
        Assert.Equal(@"1 validation error detected: Value '600' at 'defaultActions.1.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\d\d$",
            await _aws.FailsAsync("ValidationError", "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "90",
                "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=600}"));
        Assert.Equal($"Target group '{missingGroup}' not found", await _aws.FailsAsync("TargetGroupNotFound",
            "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "90", "--default-actions", $"Type=forward,TargetGroupArn={missingGroup}"));
        Assert.Equal("Listener protocol 'HTTP' is not supported with a target group with the protocol 'TCP'", await _aws.FailsAsync("IncompatibleProtocols",
            "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "90", "--default-actions", $"Type=forward,TargetGroupArn={tcpGroup}"));
        Assert.Equal("A certificate must be specified for HTTPS listeners", await _aws.FailsAsync("ValidationError",
            "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTPS", "--port", "443", "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}"));
        Assert.Contains("authenticate-oidc", await _aws.FailsAsync("InvalidLoadBalancerAction", "elbv2", "create-listener", "--load-balancer-arn", lb,
            "--protocol", "HTTP", "--port", "90", "--default-actions",
            "Type=authenticate-oidc,AuthenticateOidcConfig={Issuer=i,AuthorizationEndpoint=a,TokenEndpoint=t,UserInfoEndpoint=u,ClientId=c}"), StringComparison.Ordinal);
        Assert.Equal("1 validation error detected: Value '70000' at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535",
            await _aws.FailsAsync("ValidationError", "elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "70000",
                "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}"));
    }

    [Fact]
    public async Task A_target_group_belongs_to_one_load_balancer_and_a_network_one_takes_TCP_groups()
    {
        var first = await _fixtures.BalancerAsync("owner-one");
        var second = await _fixtures.BalancerAsync("owner-two");
        var group = await _fixtures.TargetGroupAsync("owned-tg");
        await _fixtures.ListenerAsync(first, 80, $"Type=forward,TargetGroupArn={group}");
        Assert.Equal($"The following target groups cannot be associated with more than one load balancer: {group}", await _aws.FailsAsync(
            "TargetGroupAssociationLimit", "elbv2", "create-listener", "--load-balancer-arn", second, "--protocol", "HTTP", "--port", "80",
            "--default-actions", $"Type=forward,TargetGroupArn={group}"));

        var network = await _fixtures.BalancerAsync("tcp-owner", "network");
        var tcp = await _fixtures.TargetGroupAsync("tcp-owned", "TCP", 5432);
        var listener = await _fixtures.ListenerAsync(network, 5432, $"Type=forward,TargetGroupArn={tcp}", "TCP");
        Assert.Contains(":listener/net/tcp-owner/", listener, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modify_changes_port_and_default_action_and_delete_removes_the_listener()
    {
        var lb = await _fixtures.BalancerAsync("listen-mod");
        var arn = await _fixtures.ListenerAsync(lb, 80, "Type=fixed-response,FixedResponseConfig={StatusCode=200}");
        var modified = (await _aws.OkAsync("elbv2", "modify-listener", "--listener-arn", arn, "--port", "8081",
            "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=503}")).GetProperty("Listeners")[0];
        Assert.Equal((8081, "503"), (modified.GetProperty("Port").GetInt32(),
            modified.GetProperty("DefaultActions")[0].GetProperty("FixedResponseConfig").GetProperty("StatusCode").GetString()));

        await _aws.OkAsync("elbv2", "delete-listener", "--listener-arn", arn);
        Assert.Equal("One or more listeners not found", await _aws.FailsAsync("ListenerNotFound", "elbv2", "describe-listeners", "--listener-arns", arn));
        Assert.Equal($"Listener '{arn}' not found", await _aws.FailsAsync("ListenerNotFound", "elbv2", "delete-listener", "--listener-arn", arn));
    }
}
