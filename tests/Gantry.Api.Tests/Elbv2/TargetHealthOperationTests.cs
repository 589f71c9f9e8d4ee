using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>Registering targets and the states DescribeTargetHealth derives, through the real AWS CLI.</summary>
public sealed class TargetHealthOperationTests(TargetGroupTestHost host) : IClassFixture<TargetGroupTestHost>
{
    [Fact]
    public async Task A_target_is_unused_until_a_listener_forwards_then_initial_until_checked_then_as_checked_then_draining()
    {
        var arn = await host.CreateGroupAsync("states");
        await host.OkAsync("register-targets", "--target-group-arn", arn, "--targets", "Id=10.0.0.5", "Id=10.0.0.6,Port=8080");
        Assert.Equal([("10.0.0.5", 80, "unused", "Target.NotInUse"), ("10.0.0.6", 8080, "unused", "Target.NotInUse")], await HealthAsync(arn));

        await host.ForwardAsync("stateslb", arn);
        Assert.Equal([("10.0.0.5", 80, "initial", "Elb.RegistrationInProgress"), ("10.0.0.6", 8080, "initial", "Elb.RegistrationInProgress")], await HealthAsync(arn));

        await host.WriteHealthAsync("states", arn, "10.0.0.5", 80, "healthy");
        await host.WriteHealthAsync("states", arn, "10.0.0.6", 8080, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]");
        var described = await host.OkAsync("describe-target-health", "--target-group-arn", arn);
        var unhealthy = described.GetProperty("TargetHealthDescriptions")[1];
        Assert.Equal(("8080", "Health checks failed with these codes: [503]"), (unhealthy.GetProperty("HealthCheckPort").GetString(),
            unhealthy.GetProperty("TargetHealth").GetProperty("Description").GetString()));
        Assert.Equal([("10.0.0.5", 80, "healthy", null), ("10.0.0.6", 8080, "unhealthy", "Target.ResponseCodeMismatch")], await HealthAsync(arn));

        await host.OkAsync("deregister-targets", "--target-group-arn", arn, "--targets", "Id=10.0.0.5");
        Assert.Equal([("10.0.0.5", 80, "draining", "Target.DeregistrationInProgress"), ("10.0.0.6", 8080, "unhealthy", "Target.ResponseCodeMismatch")],
            await HealthAsync(arn));
        Assert.Equal([("10.0.0.9", 80, "unused", "Target.NotRegistered")], await HealthAsync(arn, "--targets", "Id=10.0.0.9"));
    }

    [Fact]
    public async Task Deregistering_with_no_delay_removes_the_target_at_once()
    {
        var arn = await host.CreateGroupAsync("nodelay");
        await host.OkAsync("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=deregistration_delay.timeout_seconds,Value=0");
        await host.OkAsync("register-targets", "--target-group-arn", arn, "--targets", "Id=10.0.1.5");
        await host.OkAsync("deregister-targets", "--target-group-arn", arn, "--targets", "Id=10.0.1.5");
        Assert.Empty(await HealthAsync(arn));
    }

    [Theory]
    [InlineData("ip", "Id=i-0123456789abcdef0", "InvalidTarget", "The IP address 'i-0123456789abcdef0' is not a valid IPv4 address")]
    [InlineData("ip", "Id=fe80::1", "InvalidTarget", "The IP address 'fe80::1' is not a valid IPv4 address")]
    [InlineData("instance", "Id=10.0.0.1", "InvalidTarget", "The following targets are not valid instance IDs: '10.0.0.1'")]
    [InlineData("ip", "Id=10.0.0.1,Port=70000", "ValidationError",
        "1 validation error detected: Value '70000' at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535")]
    public async Task Targets_that_do_not_fit_the_groups_target_type_are_refused(string targetType, string target, string code, string message)
    {
        var arn = await host.CreateGroupAsync($"refuse-{targetType}-{Math.Abs(target.GetHashCode(StringComparison.Ordinal)) % 100000}", targetType);
        Assert.Equal($"An error occurred ({code}) when calling the RegisterTargets operation: {message}",
            await host.FailAsync("register-targets", "--target-group-arn", arn, "--targets", target));
    }

    [Fact]
    public async Task Instance_targets_register_by_instance_id_and_unknown_groups_are_not_found()
    {
        var arn = await host.CreateGroupAsync("instances", "instance");
        await host.OkAsync("register-targets", "--target-group-arn", arn, "--targets", "Id=i-0123456789abcdef0,Port=32768");
        Assert.Equal([("i-0123456789abcdef0", 32768, "unused", "Target.NotInUse")], await HealthAsync(arn));
        var missing = arn[..^16] + "0000000000000000";
        Assert.Equal("An error occurred (TargetGroupNotFound) when calling the RegisterTargets operation: One or more target groups not found",
            await host.FailAsync("register-targets", "--target-group-arn", missing, "--targets", "Id=i-0123456789abcdef0"));
    }

    private async Task<List<(string? Id, int Port, string? State, string? Reason)>> HealthAsync(string arn, params string[] more)
    {
        var output = await host.OkAsync(["describe-target-health", "--target-group-arn", arn, .. more]);
        return output.GetProperty("TargetHealthDescriptions").EnumerateArray().Select(d =>
        {
            var health = d.GetProperty("TargetHealth");
            return (d.GetProperty("Target").GetProperty("Id").GetString(), d.GetProperty("Target").GetProperty("Port").GetInt32(),
                health.GetProperty("State").GetString(), health.TryGetProperty("Reason", out var reason) ? reason.GetString() : null);
        }).ToList();
    }
}
