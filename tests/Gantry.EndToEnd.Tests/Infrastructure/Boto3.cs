using System.Text.Json;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a script of <c>Python/</c> with the pyenv Python 3.11 and its boto3 (the SDK users drive Gantry with)
/// against a control plane, with the `gantry` profile of its home (named explicitly, so credentials in the environment are not used); returns the JSON document the script prints.</summary>
public static class Boto3
{
    /// <summary>pyenv's shim in the real home of the user running the tests (root on these machines).</summary>
    public static string Python => Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".pyenv", "shims", "python3");

    public static async Task<JsonElement> RunAsync(GantryProcess gantry, string script, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(gantry);
        var environment = new Dictionary<string, string>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(gantry.Home, ".aws", "credentials"),
            ["AWS_CONFIG_FILE"] = Path.Combine(gantry.Home, ".aws", "config"),
        };
        var result = await Tool.RunAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Python", script), gantry.Endpoint.ToString().TrimEnd('/'), .. arguments],
            environment: environment);
        Assert.True(result.ExitCode == 0, $"{script} failed ({result.ExitCode}): {result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement;
    }
}
