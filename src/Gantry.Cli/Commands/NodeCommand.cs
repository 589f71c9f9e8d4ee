using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gantry.Api.Nodes;
using Gantry.ControlPlane.Fargate;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry node token create|ls|revoke` and `gantry node ls|revoke|reclaim`: the join tokens operators hand to new nodes and
/// the nodes that joined with them, through Gantry's node admin API (SigV4-signed for service "gantry").
/// </summary>
internal static class NodeCommand
{
    private const string Prefix = NodeOperations.Prefix;

    public static Command Create()
    {
        var api = new EndpointOptions();
        var command = new Command("node", "Join tokens for new nodes, and the nodes that joined.");
        api.AddTo(command);
        async Task<JsonElement> CallAsync(ParseResult r, string operation, object request, CancellationToken ct)
        {
            using var http = new HttpClient();
            return await api.Client(r, http).CallAsync(NodeOperations.SigningName, $"{Prefix}.{operation}", request, ct).ConfigureAwait(false);
        }

        var cluster = new Option<string?>("--cluster") { Description = "The cluster nodes joining with the token enter as container instances." };
        var capacity = new Option<string?>("--capacity")
        {
            Description = "The Fargate pool nodes joining with the token serve: fargate or fargate-spot (with or without --cluster).",
        };
        capacity.AcceptOnlyFromAmong("fargate", "fargate-spot", "FARGATE", "FARGATE_SPOT");
        var ttl = new Option<string>("--ttl") { Description = "How long the token can be used to join: e.g. 30m, 24h, 7d.", DefaultValueFactory = _ => "24h" };
        var description = new Option<string?>("--description") { Description = "A note shown by `gantry node token ls`." };
        var create = new Command("create", "Create a join token and print it (shown once): `gantry agent --join-token TOKEN` joins a node with it.")
        {
            cluster, capacity, ttl, description,
        };
        create.SetAction(async (r, ct) =>
        {
            if (Duration(r.GetValue(ttl)!) is not { } seconds)
            {
                await Console.Error.WriteLineAsync($"gantry node token create: --ttl '{r.GetValue(ttl)}' is not a duration like 30m, 24h or 7d").ConfigureAwait(false);
                return 1;
            }
            var created = await CallAsync(r, "CreateJoinToken",
                new { cluster = r.GetValue(cluster), capacity = FargatePool.Parse(r.GetValue(capacity)), ttlSeconds = seconds, description = r.GetValue(description) },
                ct).ConfigureAwait(false);
            Console.WriteLine(created.GetProperty("joinToken").GetString());
            return 0;
        });

        var tokenLs = new Command("ls", "List join tokens.");
        tokenLs.SetAction(async (r, ct) =>
        {
            var listed = await CallAsync(r, "ListJoinTokens", new { }, ct).ConfigureAwait(false);
            TableWriter.Write(Console.Out, ["TOKEN ID", "CLUSTER", "CAPACITY", "STATUS", "CREATED", "EXPIRES", "DESCRIPTION"],
                [.. listed.GetProperty("joinTokens").EnumerateArray().Select(t => (IReadOnlyList<string>)
                [
                    Text(t, "tokenId"), Text(t, "cluster"), Text(t, "capacity"), Text(t, "status"), Time(t, "createdAt"), Time(t, "expiresAt"), Text(t, "description"),
                ])], TableWriter.TerminalWidth());
            return 0;
        });

        var tokenId = new Argument<string>("token-id");
        var tokenRevoke = new Command("revoke", "Revoke a join token (nodes that joined with it keep their credentials).") { tokenId };
        tokenRevoke.SetAction(async (r, ct) =>
        {
            await CallAsync(r, "RevokeJoinToken", new { tokenId = r.GetValue(tokenId) }, ct).ConfigureAwait(false);
            return 0;
        });

        var nodeCluster = new Option<string?>("--cluster") { Description = "Only the nodes of this cluster." };
        var ls = new Command("ls", "List the nodes that joined.") { nodeCluster };
        ls.SetAction(async (r, ct) =>
        {
            var listed = await CallAsync(r, "ListNodes", new { cluster = r.GetValue(nodeCluster) }, ct).ConfigureAwait(false);
            TableWriter.Write(Console.Out, ["NODE ID", "CLUSTER", "CAPACITY", "INSTANCE", "STATUS", "CONNECTED", "JOINED", "TOKEN ID"],
                [.. listed.GetProperty("nodes").EnumerateArray().Select(n => (IReadOnlyList<string>)
                [
                    Text(n, "nodeId"), Text(n, "cluster"), Text(n, "capacity"), Text(n, "instanceId"), Text(n, "status"), n.GetProperty("connected").GetBoolean() ? "yes" : "no",
                    Time(n, "joinedAt"), Text(n, "tokenId"),
                ])], TableWriter.TerminalWidth());
            return 0;
        });

        var nodeId = new Argument<string>("node-id");
        var revoke = new Command("revoke", "Revoke a node: its credentials stop working and its open stream is closed.") { nodeId };
        revoke.SetAction(async (r, ct) =>
        {
            await CallAsync(r, "RevokeNode", new { nodeId = r.GetValue(nodeId) }, ct).ConfigureAwait(false);
            return 0;
        });

        var reclaimId = new Argument<string>("node-id");
        var reclaim = new Command("reclaim",
            "Reclaim a Fargate Spot node, as AWS takes back Spot capacity: nothing is placed on it again and its tasks stop with stopCode SpotInterruption "
            + "(SIGTERM, then SIGKILL after their stopTimeout, at most 2 minutes); services replace them elsewhere.") { reclaimId };
        reclaim.SetAction(async (r, ct) =>
        {
            var reclaimed = await CallAsync(r, "ReclaimNode", new { nodeId = r.GetValue(reclaimId) }, ct).ConfigureAwait(false);
            var tasks = reclaimed.GetProperty("interruptedTasks").EnumerateArray().Select(t => t.GetString()!).ToList();
            Console.WriteLine($"node {Text(reclaimed, "nodeId")} ({Text(reclaimed, "instanceId")}) reclaimed: {tasks.Count} task{(tasks.Count == 1 ? "" : "s")} interrupted, "
                + $"{reclaimed.GetProperty("warningSeconds").GetInt32()} s to stop");
            foreach (var task in tasks)
            {
                Console.WriteLine($"  {task}");
            }
            return 0;
        });

        command.Subcommands.Add(new Command("token", "Create, list and revoke join tokens.") { create, tokenLs, tokenRevoke });
        command.Subcommands.Add(ls);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(reclaim);
        return command;
    }

    /// <summary>Seconds in "90s", "30m", "24h", "7d" or a bare number of seconds; null when it is none of these.</summary>
    internal static long? Duration(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsAsciiLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        var scale = unit switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
        return scale > 0 && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= long.MaxValue / scale
            ? value * scale
            : null;
    }

    private static string Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    private static string Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000)).ToString("u", CultureInfo.InvariantCulture) : "";
}
