using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and the attributes, through the real AWS CLI.</summary>
public sealed class LoadBalancerApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task An_application_load_balancer_is_created_active_with_ELB_names_and_described_by_name_and_arn()
    {
        var created = (await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "web-lb", "--subnets", "subnet-a", "subnet-b",
            "--tags", "Key=team,Value=platform")).GetProperty("LoadBalancers")[0];
        var arn = created.GetProperty("LoadBalancerArn").GetString()!;
        Assert.Matches("^arn:aws:elasticloadbalancing:us-east-1:[0-9]{12}:loadbalancer/app/web-lb/[0-9a-f]{16}$", arn);
        Assert.Matches(@"^web-lb-[0-9]{10}\.us-east-1\.elb\.amazonaws\.com$", created.GetProperty("DNSName").GetString());
        Assert.Equal(("active", "application", "internet-facing", "ipv4"), (created.GetProperty("State").GetProperty("Code").GetString(),
            created.GetProperty("Type").GetString(), created.GetProperty("Scheme").GetString(), created.GetProperty("IpAddressType").GetString()));
        Assert.StartsWith("vpc-", created.GetProperty("VpcId").GetString(), StringComparison.Ordinal);
        Assert.Equal(["subnet-a", "subnet-b"], created.GetProperty("AvailabilityZones").EnumerateArray().Select(z => z.GetProperty("SubnetId").GetString()));

        var byName = (await _aws.OkAsync("elbv2", "describe-load-balancers", "--names", "web-lb")).GetProperty("LoadBalancers");
        Assert.Equal(arn, Assert.Single(byName.EnumerateArray()).GetProperty("LoadBalancerArn").GetString());
        var byArn = (await _aws.OkAsync("elbv2", "describe-load-balancers", "--load-balancer-arns", arn)).GetProperty("LoadBalancers");
        Assert.Equal("web-lb", Assert.Single(byArn.EnumerateArray()).GetProperty("LoadBalancerName").GetString());

        await _aws.OkAsync("elbv2", "delete-load-balancer", "--load-balancer-arn", arn);
        Assert.Equal("One or more load balancers not found",
            await _aws.FailsAsync("LoadBalancerNotFound", "elbv2", "describe-load-balancers", "--names", "web-lb"));
        await _aws.OkAsync("elbv2", "delete-load-balancer", "--load-balancer-arn", arn); // idempotent, as ELB is
    }

    [Fact]
    public async Task Internal_and_network_load_balancers_get_their_DNS_name_forms_and_distinct_pool_addresses()
    {
        var internalLb = (await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "inside", "--scheme", "internal"))
            .GetProperty("LoadBalancers")[0];
        Assert.Matches(@"^internal-inside-[0-9]{10}\.us-east-1\.elb\.amazonaws\.com$", internalLb.GetProperty("DNSName").GetString());
        var network = (await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "tcp-lb", "--type", "network")).GetProperty("LoadBalancers")[0];
        Assert.Matches(@"^tcp-lb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$", network.GetProperty("DNSName").GetString());
        Assert.Contains(":loadbalancer/net/tcp-lb/", network.GetProperty("LoadBalancerArn").GetString(), StringComparison.Ordinal);

        var documents = new Gantry.Store.Documents(host.Store, Gantry.Domain.Json.AwsJson.Options);
        var records = await documents.ListAllAsync<Gantry.Domain.Elbv2.LoadBalancerRecord>(Gantry.Domain.Elbv2.ElbKinds.LoadBalancer, null, default);
        var addresses = records.Where(r => r.Value.LoadBalancer.LoadBalancerName is "inside" or "tcp-lb").Select(r => r.Value.ListenAddress).ToList();
        Assert.Equal(2, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.StartsWith("127.0.100.", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_name_with_other_settings_is_a_duplicate_and_with_the_same_settings_the_same_load_balancer()
    {
        var first = await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "twice");
        var again = await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "twice");
        Assert.Equal(first.GetProperty("LoadBalancers")[0].GetProperty("LoadBalancerArn").GetString(),
            again.GetProperty("LoadBalancers")[0].GetProperty("LoadBalancerArn").GetString());
        Assert.Equal("A load balancer with the same name 'twice' exists, but with different settings",
            await _aws.FailsAsync("DuplicateLoadBalancerName", "elbv2", "create-load-balancer", "--name", "twice", "--type", "network"));
    }

    [Theory]
    [InlineData("a-name-that-is-far-too-long-for-elb-x", "Load balancer name 'a-name-that-is-far-too-long-for-elb-x' cannot be longer than '32' characters")]
    [InlineData("under_score", "Load balancer name 'under_score' can only contain characters that are alphanumeric characters or hyphens(-)")]
    [InlineData("edge-", "Load balancer name 'edge-' cannot begin or end with a hyphen(-)")]
    [InlineData("internal-x", "Load balancer name 'internal-x' cannot begin with 'internal-'")]
    public async Task Invalid_names_are_refused_as_ELB_words_it(string name, string message)
    {
        Assert.Equal(message, await _aws.FailsAsync("ValidationError", "elbv2", "create-load-balancer", "--name", name));
    }

    [Fact]
    public async Task Attributes_have_ELB_defaults_take_known_keys_and_deletion_protection_blocks_delete()
    {
        var arn = (await _aws.OkAsync("elbv2", "create-load-balancer", "--name", "attrs")).GetProperty("LoadBalancers")[0]
            .GetProperty("LoadBalancerArn").GetString()!;
        var attributes = Attributes(await _aws.OkAsync("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", arn));
        Assert.Equal(("60", "true", "false", "false"), (attributes["idle_timeout.timeout_seconds"], attributes["routing.http2.enabled"],
            attributes["access_logs.s3.enabled"], attributes["deletion_protection.enabled"]));

        Assert.Equal("Load balancer attribute key 'bogus.key' is not recognized", await _aws.FailsAsync("ValidationError",
            "elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", arn, "--attributes", "Key=bogus.key,Value=1"));
        var modified = Attributes(await _aws.OkAsync("elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", arn,
            "--attributes", "Key=deletion_protection.enabled,Value=true", "Key=idle_timeout.timeout_seconds,Value=120"));
        Assert.Equal(("120", "true"), (modified["idle_timeout.timeout_seconds"], modified["deletion_protection.enabled"]));

        Assert.Equal($"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
            await _aws.FailsAsync("OperationNotPermitted", "elbv2", "delete-load-balancer", "--load-balancer-arn", arn));
        await _aws.OkAsync("elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", arn, "--attributes", "Key=deletion_protection.enabled,Value=false");
        await _aws.OkAsync("elbv2", "delete-load-balancer", "--load-balancer-arn", arn);
    }

    [Fact]
    public async Task Describe_all_pages_with_a_marker()
    {
        foreach (var name in new[] { "page-1", "page-2", "page-3" })
        {
            await _aws.OkAsync("elbv2", "create-load-balancer", "--name", name);
        }
        var first = await _aws.OkAsync("elbv2", "describe-load-balancers", "--page-size", "2", "--no-paginate");
        Assert.Equal(2, first.GetProperty("LoadBalancers").GetArrayLength());
        var marker = first.GetProperty("NextMarker").GetString()!;
        var rest = await _aws.OkAsync("elbv2", "describe-load-balancers", "--page-size", "400", "--marker", marker, "--no-paginate");
        var names = first.GetProperty("LoadBalancers").EnumerateArray().Concat(rest.GetProperty("LoadBalancers").EnumerateArray())
            .Select(b => b.GetProperty("LoadBalancerName").GetString()).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Subset(names.ToHashSet(), new HashSet<string?> { "page-1", "page-2", "page-3" });
    }

    private static Dictionary<string, string> Attributes(JsonElement output) =>
        output.GetProperty("Attributes").EnumerateArray().ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString()!);
}
