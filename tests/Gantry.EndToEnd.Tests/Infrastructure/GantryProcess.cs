using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>A real `gantry` process (server or dev) on a free loopback port, with its own data directory and HOME.</summary>
public sealed partial class GantryProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Dictionary<string, string> _joinTokens = new(StringComparer.Ordinal);

    private GantryProcess(Process process, string home, string dataDirectory)
    {
        _process = process;
        Home = home;
        DataDirectory = dataDirectory;
    }

    public string Home { get; }
    public string DataDirectory { get; }
    public Uri Endpoint { get; private set; } = null!;
    public Uri AgentEndpoint { get; private set; } = null!;
    private string? _readyPattern;
    public string Output { get { lock (_output) { return string.Join('\n', _output); } } }

    /// <summary>Starts `gantry VERB --listen 127.0.0.1:0` and waits until it prints where it listens.</summary>
    private static int _vpcs;

    public static async Task<GantryProcess> StartAsync(string verb, string? home = null, string? dataDirectory = null, int port = 0,
        IReadOnlyList<string>? arguments = null, string? readyPattern = null, string? networkNamespace = null, IReadOnlyList<string>? extraArguments = null)
    {
        home ??= Directory.CreateTempSubdirectory("gantry-home-").FullName;
        dataDirectory ??= Path.Combine(home, ".gantry");
        // In a network namespace the test created: `nsenter --net=... dotnet ...` (nsenter execs dotnet, so the pid is gantry's;
        // unlike `ip netns exec` it keeps the host's mounts, so runc finds the cgroup hierarchy under /sys/fs/cgroup).
        var info = new ProcessStartInfo(networkNamespace is null ? "dotnet" : "/usr/bin/nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var arg in new[] { $"--net=/run/netns/{networkNamespace}", "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gantry.dll"));
        // A server writes root-credentials only when asked; ServerProfile reads it.
        string[] defaults = verb == "server"
            ? [verb, "--listen", $"127.0.0.1:{port}", "--data-dir", dataDirectory, "--write-root-credentials"]
            : [verb, "--listen", $"127.0.0.1:{port}", "--data-dir", dataDirectory];
        var all = (arguments is null ? defaults : arguments.Prepend(verb)).Concat(extraArguments ?? []).ToList();
        if (verb is "server" or "dev" && !all.Contains("--default-vpc-cidr"))
        {
            // Servers of tests running at once route their awsvpc tasks' addresses on this one host: a VPC each.
            all.AddRange(["--default-vpc-cidr", $"100.{64 + (Interlocked.Increment(ref _vpcs) % 64)}.0.0/16"]);
        }
        foreach (var arg in all)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = home;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start gantry");
        var gantry = new GantryProcess(process, home, dataDirectory) { _readyPattern = readyPattern };
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => gantry.OnLine(e.Data, listening);
        process.ErrorDataReceived += (_, e) => gantry.OnLine(e.Data, listening);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
        if (first != listening.Task)
        {
            await gantry.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"gantry {verb} did not start:\n{gantry.Output}");
        }
        gantry.Endpoint = await listening.Task.ConfigureAwait(false);
        return gantry;
    }

    /// <summary>The process id, e.g. to SIGSTOP an agent.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or `kill -9`.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> listening)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (_readyPattern is not null)
        {
            if (line.Contains(_readyPattern, StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri("http://127.0.0.1/"));
            }
            return;
        }
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            AgentEndpoint = new Uri(match.Groups[2].Value);
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>Starts `gantry agent` against this control plane, joining with a token from <see cref="JoinTokenAsync"/>.</summary>
    public Task<GantryProcess> StartAgentAsync(string cluster, string stateDirectory, params string[] extra) =>
        StartAgentInAsync(null, cluster, stateDirectory, extra);

    /// <summary>Starts `gantry agent` in a network namespace the test created (a join token and publish address 127.0.0.1 are passed unless
    /// <paramref name="extra"/> has them).</summary>
    public async Task<GantryProcess> StartAgentInAsync(string? networkNamespace, string cluster, string stateDirectory, params string[] extra)
    {
        string[] join = extra.Contains("--join-token") ? [] : ["--join-token", await JoinTokenAsync(cluster, networkNamespace).ConfigureAwait(false)];
        return await StartPoolAgentAsync(networkNamespace, stateDirectory, ["--cluster", cluster, .. join, .. extra]).ConfigureAwait(false);
    }

    /// <summary>Starts `gantry agent` with the given options besides the endpoints, state directory and publish address
    /// (e.g. a Fargate pool node: `--join-token` of a capacity token, no `--cluster`).</summary>
    public Task<GantryProcess> StartPoolAgentAsync(string? networkNamespace, string stateDirectory, params string[] options)
    {
        string[] publish = options.Contains("--publish-address") ? [] : ["--publish-address", "127.0.0.1"]; // tests never publish beyond loopback
        return StartAsync("agent", Home, DataDirectory, arguments: ["--server", Endpoint.ToString(), "--agent-server", AgentEndpoint.ToString(),
            "--state-dir", stateDirectory, .. publish, .. options], readyPattern: "dialing", networkNamespace: networkNamespace);
    }

    /// <summary>SIGTERM, as a shutdown (systemd stop, a Spot reclaim) sends it; returns once the process exited.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await Tool.OkAsync("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
    }

    /// <summary>A join token for <paramref name="cluster"/> from `gantry node token create`, created once per cluster.</summary>
    public async Task<string> JoinTokenAsync(string cluster, string? networkNamespace = null)
    {
        if (!_joinTokens.TryGetValue(cluster, out var token))
        {
            token = (await CliAsync(networkNamespace, "node", "token", "create", "--cluster", cluster).ConfigureAwait(false)).Trim();
            _joinTokens[cluster] = token;
        }
        return token;
    }

    /// <summary>Runs a `gantry` CLI verb against this control plane with its root credentials; returns its output.</summary>
    public Task<string> CliAsync(string? networkNamespace, params string[] arguments)
    {
        string[] command = ["dotnet", Path.Combine(AppContext.BaseDirectory, "gantry.dll"), .. arguments, "--endpoint", Endpoint.ToString(), "--data-dir", DataDirectory];
        var environment = new Dictionary<string, string> { ["HOME"] = Home };
        return networkNamespace is null
            ? Tool.OkAsync(command[0], command[1..], environment: environment)
            : Tool.OkAsync("/usr/bin/nsenter", [$"--net=/run/netns/{networkNamespace}", .. command], environment: environment);
    }

    [GeneratedRegex(@"listening on (http://[0-9.]+:\d+)/? \(agents: (http://[0-9.]+:\d+)")]
    private static partial Regex ListeningLine();
}
