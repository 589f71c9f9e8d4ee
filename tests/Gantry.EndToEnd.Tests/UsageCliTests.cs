using System.Globalization;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>`gantry usage` on `gantry dev`: a Fargate task run and stopped with the real AWS CLI shows in its family's row.</summary>
public sealed class UsageCliTests(DevFixture dev) : IClassFixture<DevFixture>
{
    private AwsCli Aws => dev.Aws;

    /// <summary>The row of <paramref name="family"/> in `gantry usage --by family`, split at its columns; null when absent.</summary>
    private async Task<string[]?> FamilyRowAsync(string family, params string[] extra)
    {
        var table = await dev.Gantry.CliAsync(null, ["usage", "--by", "family", .. extra]);
        Assert.Contains("CLUSTER  FAMILY", table, StringComparison.Ordinal);
        Assert.Contains("TOTAL", table, StringComparison.Ordinal);
        return table.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(c => c.Length > 1 && c[1] == family);
    }

    [Fact]
    public async Task A_short_Fargate_task_costs_at_least_one_minute_of_its_vCPU_and_GB_in_its_family_row()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "e2e-usage", "--requires-compatibilities", "FARGATE", "--network-mode", "awsvpc",
            "--cpu", "256", "--memory", "512", "--container-definitions",
            """[{"name":"app","image":"busybox","essential":true,"command":["sleep","600"],"stopTimeout":2}]""");
        var subnet = await Aws.DefaultSubnetAsync();
        var started = DateTimeOffset.UtcNow;
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-usage", "--launch-type", "FARGATE",
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}]}}")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);

        var running = await FamilyRowAsync("e2e-usage");
        Assert.NotNull(running);
        Assert.Equal(["default", "e2e-usage", "FARGATE", "1", "1"], running[..5]);

        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
        var stopped = await FamilyRowAsync("e2e-usage", "--since", "1h");
        Assert.NotNull(stopped);
        Assert.Equal(["default", "e2e-usage", "FARGATE", "1", "0"], stopped[..5]);
        var vcpuSeconds = double.Parse(stopped[5], CultureInfo.InvariantCulture);
        var gbSeconds = double.Parse(stopped[6], CultureInfo.InvariantCulture);
        var ran = (DateTimeOffset.UtcNow - started).TotalSeconds;
        Assert.InRange(vcpuSeconds, 60 * 0.25, Math.Max(61, ran + 1) * 0.25); // one minute at least, of 0.25 vCPU
        Assert.Equal(vcpuSeconds * 2, gbSeconds, 1);                         // 0.5 GB

        Assert.Null(await FamilyRowAsync("e2e-usage", "--since", DateTimeOffset.UtcNow.AddMinutes(5).ToString("o", CultureInfo.InvariantCulture)));
        var bad = await Tool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "usage", "--since", "yesterday",
            "--endpoint", dev.Gantry.Endpoint.ToString(), "--data-dir", dev.Gantry.DataDirectory]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--since 'yesterday' is neither a duration", bad.StandardError, StringComparison.Ordinal);
    }
}
