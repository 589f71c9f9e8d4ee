using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gantry.Api.Replicas;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry cluster status`: the control plane's replicas (stale ones marked), the leader, its lease's age and fencing
/// token, and the answering replica's store revision and lag, through Gantry's status API (SigV4-signed for "gantry").
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var api = new EndpointOptions();
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON." };
        var status = new Command("status", "The control plane's replicas, leader, lease and store lag.") { json };
        status.SetAction(async (r, ct) =>
        {
            JsonElement answer;
            try
            {
                using var http = new HttpClient();
                answer = await api.Client(r, http)
                    .CallAsync(ClusterStatusOperations.SigningName, $"{ClusterStatusOperations.Prefix}.GetClusterStatus", new { }, ct).ConfigureAwait(false);
            }
            catch (AwsException e)
            {
                await Console.Error.WriteLineAsync($"gantry cluster status: {e.Type}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"gantry cluster status: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(answer));
            }
            else
            {
                Write(Console.Out, answer, TableWriter.TerminalWidth());
            }
            return 0;
        });
        var command = new Command("cluster", "The control plane itself: its replicas and leader.") { status };
        api.AddTo(command);
        return command;
    }

    /// <summary>The lease line, the store line, then one row per replica.</summary>
    internal static void Write(TextWriter output, JsonElement status, int width)
    {
        if (status.TryGetProperty("lease", out var lease))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Leader {lease.GetProperty("holder").GetString()}, fencing token {lease.GetProperty("fencingToken").GetInt64()}, lease renewed {lease.GetProperty("leaseAgeSeconds").GetDouble():F1} s ago, held since {Time(lease.GetProperty("acquiredAt"))}"));
        }
        else
        {
            output.WriteLine("No leader: no replica has taken the controllers' lease yet");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store revision {status.GetProperty("storeRevision").GetInt64()}, followed {status.GetProperty("followedRevision").GetInt64()} (lag {status.GetProperty("storeLag").GetInt64()}) on {status.GetProperty("answeredBy").GetString()}"));
        var rows = status.GetProperty("replicas").EnumerateArray().Select(r => (IReadOnlyList<string>)
        [
            r.GetProperty("replicaId").GetString()!,
            r.GetProperty("leader").GetBoolean() ? "leader" : "follower",
            r.GetProperty("stale").GetBoolean() ? "STALE" : "live",
            r.GetProperty("address").GetString()!,
            r.GetProperty("agentAddress").GetString()!,
            r.GetProperty("connectedAgents").GetInt32().ToString(CultureInfo.InvariantCulture),
            r.GetProperty("version").GetString()!,
            Time(r.GetProperty("startedAt")),
            Time(r.GetProperty("lastSeen")),
        ]).ToList();
        TableWriter.Write(output, ["REPLICA", "ROLE", "STATE", "ADDRESS", "AGENT ADDRESS", "AGENTS", "VERSION", "STARTED", "LAST SEEN"], rows, width);
    }

    private static string Time(JsonElement seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds.GetDouble() * 1000)).ToString("u", CultureInfo.InvariantCulture);
}
