using System.Diagnostics;
using System.Text.Json;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>The result of one AWS CLI run.</summary>
public sealed record AwsCliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public JsonElement Json => JsonDocument.Parse(StandardOutput).RootElement;
}

/// <summary>Runs the real Debian AWS CLI v2 (/usr/bin/aws) against a Gantry endpoint with the `gantry` profile.</summary>
public sealed class AwsCli(GantryProcess gantry, string? networkNamespace = null)
{
    public const string Executable = "/usr/bin/aws";

    public async Task<AwsCliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Waiters poll every 15 s for minutes: bound each run generously but finitely.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(300)).ConfigureAwait(false);
        return new AwsCliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts a long-running command (e.g. <c>logs tail --follow</c>); the caller reads its output and kills it.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(networkNamespace is null ? Executable : "/usr/bin/nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var arg in new[] { $"--net=/run/netns/{networkNamespace}", Executable })
            {
                info.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in new[] { "--profile", "gantry", "--endpoint-url", gantry.Endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = gantry.Home;
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(gantry.Home, ".aws", "credentials");
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(gantry.Home, ".aws", "config");
        info.Environment.Remove("AWS_ACCESS_KEY_ID");
        info.Environment.Remove("AWS_SECRET_ACCESS_KEY");
        info.Environment.Remove("AWS_PROFILE");
        info.Environment.Remove("AWS_DEFAULT_REGION");
        info.Environment.Remove("AWS_REGION");
        info.Environment.Remove("AWS_ENDPOINT_URL");
        return Process.Start(info) ?? throw new InvalidOperationException("could not start aws");
    }

    /// <summary>
    /// A default subnet of the server's default VPC, as a user finds one (<c>ec2 describe-subnets</c>, default-for-az):
    /// what an awsvpc launch names, since ECS refuses subnets that do not exist. The first by zone, so always the same one.
    /// </summary>
    public async Task<string> DefaultSubnetAsync()
    {
        var subnets = (await OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true").ConfigureAwait(false)).GetProperty("Subnets");
        return subnets.EnumerateArray().OrderBy(s => s.GetProperty("AvailabilityZone").GetString(), StringComparer.Ordinal)
            .First().GetProperty("SubnetId").GetString()!;
    }

    /// <summary>The default VPC's security group named <c>default</c> (<c>ec2 describe-security-groups</c>).</summary>
    public async Task<string> DefaultSecurityGroupAsync()
    {
        var vpc = (await OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true").ConfigureAwait(false)).GetProperty("Vpcs")[0]
            .GetProperty("VpcId").GetString()!;
        var groups = (await OkAsync("ec2", "describe-security-groups", "--filters", $"Name=vpc-id,Values={vpc}", "Name=group-name,Values=default")
            .ConfigureAwait(false)).GetProperty("SecurityGroups");
        return Assert.Single(groups.EnumerateArray()).GetProperty("GroupId").GetString()!;
    }

    /// <summary>Runs and asserts success, returning the JSON output.</summary>
    public async Task<JsonElement> OkAsync(params string[] args)
    {
        var result = await RunAsync(args).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Length == 0 ? default : result.Json;
    }
}
