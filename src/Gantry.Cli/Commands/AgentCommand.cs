using System.CommandLine;
using Gantry.Agent;
using Gantry.Agent.Connection;
using Gantry.ControlPlane.Fargate;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>`gantry agent`: the node agent, registering this machine into a cluster and running its tasks.</summary>
internal static class AgentCommand
{
    /// <summary>
    /// How long `gantry agent` may take after SIGTERM: a Fargate Spot agent stops its tasks within the two-minute warning
    /// first; any other command keeps System.CommandLine's default (null).
    /// </summary>
    public static TimeSpan? TerminationTimeout(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.Errors.Count == 0 && parsed.CommandResult.Command.Name == "agent" && IsSpot(FargatePool.Parse(parsed.GetValue<string?>("--capacity")))
            ? AgentHost.ReclaimWindow + TimeSpan.FromSeconds(15)
            : null;
    }

    /// <summary>The DNS server tasks' queries are relayed to (null for none: "none", or a --server named by host name); false when the option is not one.</summary>
    private static bool TryDnsServer(string? text, Uri api, out System.Net.IPEndPoint? endpoint)
    {
        endpoint = null;
        if (text is null)
        {
            endpoint = System.Net.IPAddress.TryParse(api.Host, out var host) ? new System.Net.IPEndPoint(host, ControlPlaneOptions.DefaultDnsPort) : null;
            return true;
        }
        return text == "none" || (System.Net.IPEndPoint.TryParse(text, out endpoint) && endpoint.Port != 0);
    }

    private static bool IsSpot(string? capacity) => capacity == FargatePool.FargateSpot;

    public static Command Create()
    {
        var server = new Option<string[]>("--server")
        {
            Description = "The control plane's API endpoint; several replicas as URL1,URL2 or a repeated --server, failed over in order.",
            DefaultValueFactory = _ => ["http://127.0.0.1:4566"],
        };
        var agentServer = new Option<string[]>("--agent-server")
        {
            Description = "The control plane's agent (gRPC) endpoint, one per --server in the same order; default: each --server's port + 1.",
        };
        var cluster = new Option<string?>("--cluster") { Description = "The cluster this node must be in (default: the one its join token names)." };
        var capacity = new Option<string?>("--capacity")
        {
            Description = "The Fargate pool this node must serve: fargate or fargate-spot (default: whatever its join token names).",
        };
        capacity.AcceptOnlyFromAmong("fargate", "fargate-spot", "FARGATE", "FARGATE_SPOT");
        var joinToken = new Option<string?>("--join-token")
        {
            Description = "A join token from `gantry node token create`, used once when the state directory holds no node credentials (or GANTRY_JOIN_TOKEN).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GANTRY_JOIN_TOKEN") is { Length: > 0 } token ? token : null,
        };
        var state = new Option<string>("--state-dir")
        {
            Description = "Where the agent keeps images, containers, task state and its node credentials.",
            DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gantry", "agent"),
        };
        var zone = new Option<string?>("--availability-zone") { Description = "Value of the ecs.availability-zone attribute." };
        var attributes = new Option<string[]>("--attribute") { Description = "Custom attribute NAME=VALUE (repeatable)." };
        var reserve = new Option<int>("--memory-reserve") { Description = "MiB of memory not offered to tasks.", DefaultValueFactory = _ => 256 };
        var bridge = new Option<string?>("--bridge-address") { Description = "The node bridge address; tasks get addresses in its /16 (default 10.213.0.1)." };
        var metadata = new Option<string?>("--metadata-address")
        {
            Description = "Where the task metadata endpoint listens (port 80), put on the node bridge (default 169.254.170.2; another bridge: 169.254.171.<its second octet>).",
        };
        var publish = new Option<string?>("--publish-address")
        {
            Description = "The node address published ports listen on (bridge host ports, Fargate public IPs) and networkBindings report (default 0.0.0.0, as ECS).",
        };
        var dns = new Option<string?>("--dns-server")
        {
            Description = "The control plane's DNS server, host:port, that tasks' queries are relayed to from the node bridge "
                + $"(default: the first --server's host, port {ControlPlaneOptions.DefaultDnsPort}; none: tasks use this node's resolvers).",
        };
        var imageCache = new Option<long>("--image-cache-max") { Description = "MiB of unpacked images kept before unused ones are removed.", DefaultValueFactory = _ => 10240 };
        var command = new Command("agent", "Run the node agent: register into a cluster and run its tasks with runc.")
        {
            server, agentServer, cluster, capacity, joinToken, state, zone, attributes, reserve, imageCache, bridge, metadata, publish, dns,
        };
        command.SetAction(async (result, ct) =>
        {
            if (ServerList.Parse(result.GetValue(server), result.GetValue(agentServer)) is not { } servers)
            {
                await Console.Error.WriteLineAsync("gantry agent: --agent-server must name one endpoint per --server, in the same order").ConfigureAwait(false);
                return 2;
            }
            if (!TryDnsServer(result.GetValue(dns), servers[0].ApiEndpoint, out var dnsServer))
            {
                await Console.Error.WriteLineAsync("gantry agent: --dns-server must be host:port with an IP address, or none").ConfigureAwait(false);
                return 2;
            }
            var custom = (result.GetValue(attributes) ?? []).Select(a => a.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
            var settings = new AgentSettings(servers[0].ApiEndpoint, servers[0].AgentEndpoint, result.GetValue(cluster), result.GetValue(joinToken),
                Path.GetFullPath(result.GetValue(state)!), result.GetValue(zone), result.GetValue(reserve), custom, result.GetValue(imageCache) * 1024 * 1024,
                result.GetValue(bridge) is { } address ? System.Net.IPAddress.Parse(address) : null,
                result.GetValue(metadata) is { } endpoint ? System.Net.IPAddress.Parse(endpoint) : null,
                FargatePool.Parse(result.GetValue(capacity)),
                result.GetValue(publish) is { } published ? System.Net.IPAddress.Parse(published) : null,
                dnsServer)
            {
                Servers = servers,
            };
            if ((LocalAgent.WhyNot() ?? NodeJoiner.WhyNot(settings.StateDirectory, settings.JoinToken)) is { } reason)
            {
                await Console.Error.WriteLineAsync($"gantry agent: {reason}").ConfigureAwait(false);
                return 1;
            }
            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            await using var agent = await AgentHost.StartAsync(settings, logging, TimeProvider.System, ct).ConfigureAwait(false);
            Console.WriteLine($"gantry agent for {(settings.Cluster ?? settings.Capacity) ?? "what its join token names"} dialing {string.Join(", ", settings.Servers.Select(s => s.AgentEndpoint))}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            if (IsSpot(settings.Capacity))
            {
                // SIGTERM on Fargate Spot capacity is the reclaim: the tasks stop (within the two-minute warning) before the agent exits.
                await agent.ReclaimAsync().ConfigureAwait(false);
            }
            // Otherwise the containers keep running; the next agent process adopts them.
            return 0;
        });
        return command;
    }
}
