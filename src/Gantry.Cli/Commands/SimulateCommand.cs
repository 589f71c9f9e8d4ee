using System.CommandLine;
using System.Globalization;
using Gantry.Simulator;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>`gantry simulate`: many simulated nodes on real agent streams, to measure the control plane at scale.</summary>
internal static class SimulateCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many nodes to simulate, each on its own agent stream.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "The cluster the nodes register into (the join token's cluster).", Required = true };
        var server = new Option<string[]>("--server")
        {
            Description = "The control plane's API endpoint; several replicas as URL1,URL2 or a repeated --server (nodes start spread over them and fail over round the list).",
            DefaultValueFactory = _ => ["http://127.0.0.1:4566"],
        };
        var agentServer = new Option<string[]>("--agent-server")
        {
            Description = "The control plane's agent (gRPC) endpoint, one per --server in the same order; default: each --server's port + 1.",
        };
        var joinToken = new Option<string?>("--join-token")
        {
            Description = "A join token of the cluster from `gantry node token create --cluster NAME` (or GANTRY_JOIN_TOKEN); every node joins with it.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GANTRY_JOIN_TOKEN") is { Length: > 0 } token ? token : null,
        };
        var runDelay = new Option<string>("--run-delay") { Description = "How long a task stays PENDING before it is RUNNING (e.g. 0s, 250ms, 1s).", DefaultValueFactory = _ => "1s" };
        var zones = new Option<int>("--zones") { Description = "Availability zones the nodes are spread over (<region>a, b, c, ...).", DefaultValueFactory = _ => 3 };
        var region = new Option<string>("--region") { Description = "The region the zones are named after.", DefaultValueFactory = _ => "us-east-1" };
        var cpu = new Option<int>("--cpu") { Description = "CPU units each node registers (1024 per vCPU).", DefaultValueFactory = _ => 4096 };
        var memory = new Option<int>("--memory") { Description = "MiB of memory each node registers.", DefaultValueFactory = _ => 16384 };
        var streams = new Option<int>("--streams-per-connection")
        {
            Description = "Nodes sharing one HTTP/2 connection (the server allows 100 concurrent streams per connection; above that the client opens more).",
            DefaultValueFactory = _ => 100,
        };
        var parallelism = new Option<int>("--connect-parallelism")
        {
            Description = "Nodes joining or registering at once (more makes registrations conflict on the cluster document and retry).",
            DefaultValueFactory = _ => 4,
        };
        var command = new Command("simulate",
            "Simulate a fleet of nodes from one process: each joins with the token, opens a real agent stream, registers with the given resources and "
            + "attributes, heartbeats, and plays the agent's part for its tasks (PENDING, RUNNING after --run-delay, STOPPED on request) without running "
            + "anything. Nodes join afresh on every run (no credentials are kept; earlier runs' instances stay registered, disconnected). Ctrl-C stops.")
        {
            nodes, cluster, server, agentServer, joinToken, runDelay, zones, region, cpu, memory, streams, parallelism,
        };
        command.SetAction(async (result, ct) =>
        {
            var servers = ServerList.Parse(result.GetValue(server), result.GetValue(agentServer));
            var why = servers is null ? "--agent-server must name one endpoint per --server, in the same order"
                : result.GetValue(joinToken) is null ? "--join-token is required (create one with `gantry node token create --cluster NAME`)"
                : RunDelay(result.GetValue(runDelay)!) is null ? $"--run-delay '{result.GetValue(runDelay)}' is not a duration like 0s, 250ms or 1s"
                : result.GetValue(nodes) < 1 || result.GetValue(zones) < 1 || result.GetValue(streams) < 1 || result.GetValue(parallelism) < 1
                    ? "--nodes, --zones, --streams-per-connection and --connect-parallelism must be at least 1"
                : null;
            if (why is not null)
            {
                await Console.Error.WriteLineAsync($"gantry simulate: {why}").ConfigureAwait(false);
                return 1;
            }
            var settings = new SimulatorSettings([.. servers!.Select(s => s.AgentEndpoint)], result.GetValue(joinToken)!, result.GetValue(cluster)!, result.GetValue(nodes),
                RunDelay(result.GetValue(runDelay)!)!.Value, result.GetValue(zones), result.GetValue(region)!, result.GetValue(cpu), result.GetValue(memory),
                result.GetValue(streams), result.GetValue(parallelism));
            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var fleet = new Fleet(settings, TimeProvider.System, logging);
            var running = fleet.RunAsync(ct);
            var progress = ProgressAsync(fleet.Status, running, ct);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (JoinRefusedException e)
            {
                await progress.ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"gantry simulate: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            await progress.ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The fleet's counters every 2 s (on one line that is rewritten in a terminal), and once more at the end.</summary>
    private static async Task ProgressAsync(FleetStatus status, Task running, CancellationToken ct)
    {
        var terminal = !Console.IsOutputRedirected;
        var width = terminal ? Math.Max(40, Console.WindowWidth - 1) : int.MaxValue;
        void Print(bool last)
        {
            var line = status.Line();
            line = line.Length > width ? line[..width] : line;
            Console.Write(terminal ? $"\r{line.PadRight(width)}{(last ? "\n" : "")}" : $"{line}\n");
        }

        using var timer = new PeriodicTimer(ProgressInterval);
        while (!running.IsCompleted && !ct.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Print(last: false);
        }
        await Task.WhenAny(running).ConfigureAwait(false);
        Print(last: true);
    }

    /// <summary>A run delay: a duration as the other commands take it (0s, 1s, 2m) or milliseconds (250ms); null when it is neither.</summary>
    private static TimeSpan? RunDelay(string text) =>
        text.EndsWith("ms", StringComparison.Ordinal) && int.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms)
        : Durations.TryParse(text, out var delay) ? delay
        : null;
}
