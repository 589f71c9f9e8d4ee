using System.Diagnostics;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a command-line tool with a bounded wait; the result carries its exit code and output.</summary>
public static class Tool
{
    public static async Task<AwsCliResult> RunAsync(string executable, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(timeoutSeconds)).ConfigureAwait(false);
        return new AwsCliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public static async Task<string> OkAsync(string executable, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        var list = args.ToList();
        var result = await RunAsync(executable, list, stdin, environment, timeoutSeconds).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"{executable} {string.Join(' ', list)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput;
    }
}
