using System.Diagnostics;
using System.Text.Json;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Iam;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// What the real AWS CLI v2 (/usr/bin/aws) sends to an awsQuery service and whether it understands the answers:
/// its request is recorded as it arrived and decoded, and its parsed output and exit code are checked.
/// </summary>
public sealed class AwsCliQueryTests(QueryTestServer server) : IClassFixture<QueryTestServer>, IDisposable
{
    private const string Cli = "/usr/bin/aws";
    private readonly string _home = Directory.CreateTempSubdirectory("gantry-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Elbv2_describe_load_balancers_sends_Names_member_N_and_reads_the_XML_answer()
    {
        var (exit, stdout, stderr) = await RunAsync("elbv2", "describe-load-balancers", "--names", "a", "b");
        Assert.True(exit == 0, stderr);
        var sent = server.Requests.Last(r => r.Authorization.Contains("/elasticloadbalancing/", StringComparison.Ordinal));
        Assert.Equal(("POST", "application/x-www-form-urlencoded; charset=utf-8"), (sent.Method, sent.ContentType));
        Assert.Equal("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b", sent.Body);
        Assert.Equal(["a", "b"], Assert.IsType<DescribeLoadBalancersInput>(server.Services.LastInput).Names);

        var balancers = JsonDocument.Parse(stdout).RootElement.GetProperty("LoadBalancers");
        Assert.Equal(["a", "b"], balancers.EnumerateArray().Select(b => b.GetProperty("LoadBalancerName").GetString()));
        var first = balancers[0];
        Assert.Equal("2024-01-02T03:04:05.678000+00:00", first.GetProperty("CreatedTime").GetString());
        Assert.Equal("active", first.GetProperty("State").GetProperty("Code").GetString());
        Assert.Equal(["sg-1", "sg-2"], first.GetProperty("SecurityGroups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(0, first.GetProperty("AvailabilityZones")[0].GetProperty("LoadBalancerAddresses").GetArrayLength());
    }

    [Fact]
    public async Task Iam_list_users_sends_its_Action_signed_for_iam_and_reads_users_with_tags_and_dates()
    {
        var (exit, stdout, stderr) = await RunAsync("iam", "list-users");
        Assert.True(exit == 0, stderr);
        var sent = server.Requests.Last(r => r.Authorization.Contains("/iam/", StringComparison.Ordinal));
        Assert.Equal("Action=ListUsers&Version=2010-05-08", sent.Body);
        Assert.Contains("/us-east-1/iam/aws4_request", sent.Authorization, StringComparison.Ordinal);
        Assert.IsType<ListUsersRequest>(server.Services.LastInput);

        var user = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("Users").EnumerateArray());
        Assert.Equal("alice", user.GetProperty("UserName").GetString());
        Assert.Equal("2024-01-02T03:04:05.678000+00:00", user.GetProperty("CreateDate").GetString());
        Assert.Equal("platform", user.GetProperty("Tags")[0].GetProperty("Value").GetString());
    }

    [Fact]
    public async Task The_CLI_reports_an_XML_error_by_its_code_and_message()
    {
        var (exit, _, stderr) = await RunAsync("elbv2", "describe-load-balancers", "--names", "missing");
        Assert.Equal(254, exit);
        Assert.Equal("An error occurred (LoadBalancerNotFound) when calling the DescribeLoadBalancers operation: One or more load balancers not found",
            stderr.Trim());
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--endpoint-url", server.Endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager" }.Concat(args))
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
        info.Environment["AWS_ACCESS_KEY_ID"] = QueryTestServer.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = QueryTestServer.Secret;
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start aws");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
