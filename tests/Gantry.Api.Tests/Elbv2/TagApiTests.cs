using Gantry.Domain.Elbv2;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>AddTags, RemoveTags, DescribeTags on every taggable ELB resource, DescribeAccountLimits and DescribeSSLPolicies, through the AWS CLI.</summary>
public sealed class TagApiTests : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws;
    private readonly LoadBalancerFixtures _fixtures;

    public TagApiTests(SignedApiTestHost host)
    {
        _aws = new LoadBalancerTestCli(host);
        _fixtures = new LoadBalancerFixtures(host, _aws);
    }

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task Tags_are_added_replaced_removed_and_described_on_balancers_listeners_rules_and_target_groups()
    {
        var lb = await _fixtures.BalancerAsync("tagged");
        var group = await _fixtures.TargetGroupAsync("tagged-tg");
        var listener = await _fixtures.ListenerAsync(lb, 80, $"Type=forward,TargetGroupArn={group}");
        var rule = (await _aws.OkAsync("elbv2", "create-rule", "--listener-arn", listener, "--priority", "1", "--conditions", "Field=path-pattern,Values=/x",
            "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}")).GetProperty("Rules")[0].GetProperty("RuleArn").GetString()!;
        string[] all = [lb, listener, rule, group];

        await _aws.OkAsync(["elbv2", "add-tags", "--resource-arns", .. all, "--tags", "Key=env,Value=dev", "Key=team,Value=web"]);
        await _aws.OkAsync(["elbv2", "add-tags", "--resource-arns", .. all, "--tags", "Key=env,Value=prod"]);
        await _aws.OkAsync(["elbv2", "remove-tags", "--resource-arns", .. all, "--tag-keys", "team"]);
        var described = (await _aws.OkAsync(["elbv2", "describe-tags", "--resource-arns", .. all])).GetProperty("TagDescriptions").EnumerateArray().ToList();
        Assert.Equal(all, described.Select(d => d.GetProperty("ResourceArn").GetString()));
        Assert.All(described, d => Assert.Equal([("env", "prod")], d.GetProperty("Tags").EnumerateArray()
            .Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString()))));

        var stored = await _fixtures.Documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, "tagged-tg", default);
        Assert.Equal("prod", Assert.Single(stored!.Value.Tags).Value);
    }

    [Fact]
    public async Task Duplicate_keys_too_many_tags_and_unknown_resources_are_refused()
    {
        var lb = await _fixtures.BalancerAsync("tag-limits");
        Assert.Equal("Tag key 'a' was specified more than once", await _aws.FailsAsync("DuplicateTagKeys", "elbv2", "add-tags", "--resource-arns", lb,
            "--tags", "Key=a,Value=1", "Key=a,Value=2"));
        var fifty = Enumerable.Range(0, 50).Select(i => $"Key=k{i},Value=v").ToArray();
        await _aws.OkAsync(["elbv2", "add-tags", "--resource-arns", lb, "--tags", .. fifty]);
        Assert.Equal($"Resource '{lb}' cannot have more than 50 tags", await _aws.FailsAsync("TooManyTags", "elbv2", "add-tags", "--resource-arns", lb,
            "--tags", "Key=one-more,Value=v"));
        var gone = lb.Replace("tag-limits", "no-such-lb", StringComparison.Ordinal);
        Assert.Equal($"Load balancer '{gone}' not found", await _aws.FailsAsync("LoadBalancerNotFound", "elbv2", "describe-tags", "--resource-arns", gone));
    }

    [Fact]
    public async Task Account_limits_and_SSL_policies_are_described()
    {
        var limits = (await _aws.OkAsync("elbv2", "describe-account-limits")).GetProperty("Limits").EnumerateArray()
            .ToDictionary(l => l.GetProperty("Name").GetString()!, l => l.GetProperty("Max").GetString());
        Assert.Equal(("50", "100", "5"), (limits["application-load-balancers"], limits["rules-per-application-load-balancer"],
            limits["target-groups-per-action-on-application-load-balancer"]));

        var policy = (await _aws.OkAsync("elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-TLS13-1-2-2021-06")).GetProperty("SslPolicies")[0];
        Assert.Equal(["TLSv1.2", "TLSv1.3"], policy.GetProperty("SslProtocols").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(policy.GetProperty("Ciphers").EnumerateArray(), c => c.GetProperty("Name").GetString() == "TLS_AES_128_GCM_SHA256");
        Assert.Equal("One or more SSL policies not found", await _aws.FailsAsync("SSLPolicyNotFound", "elbv2", "describe-ssl-policies", "--names", "Nope"));
    }
}
