using System.Diagnostics;
using System.Text.Json;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>The real AWS CLI v2 (/usr/bin/aws) against a <see cref="SignedApiTestHost"/>, signed with the host's key.</summary>
public sealed class LoadBalancerTestCli(SignedApiTestHost host) : IDisposable
{
    private const string Cli = "/usr/bin/aws";
    private readonly string _home = Directory.CreateTempSubdirectory("gantry-elb-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    /// <summary>Environment variables every run gets besides the credentials (e.g. HTTP_PROXY).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public sealed record Result(int Exit, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

        /// <summary>The error line the CLI prints: "An error occurred (Code) when calling the Op operation: message".</summary>
        public string Error => Stderr.Trim();
    }

    /// <summary>Runs and asserts success, returning the JSON output (default for an empty output).</summary>
    public async Task<JsonElement> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Exit == 0, $"aws {string.Join(' ', args)} failed ({result.Exit}): {result.Stderr}");
        return result.Stdout.Trim().Length == 0 ? default : result.Json;
    }

    /// <summary>Runs and asserts failure with <paramref name="code"/>, returning the message after "operation: ".</summary>
    public async Task<string> FailsAsync(string code, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Exit != 0, $"aws {string.Join(' ', args)} succeeded: {result.Stdout}");
        Assert.Contains($"An error occurred ({code}) when calling", result.Error, StringComparison.Ordinal);
        return result.Error[(result.Error.IndexOf("operation: ", StringComparison.Ordinal) + "operation: ".Length)..];
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--endpoint-url", host.Endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager" }.Concat(args))
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
        info.Environment["AWS_ACCESS_KEY_ID"] = host.Key.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = host.Key.SecretAccessKey;
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start aws");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
