using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Gantry.Cli.Commands;

/// <summary>`gantry service create|ls|describe|scale|deploy`: ECS services, with a live view of deployments.</summary>
internal static class ServiceCommand
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";

    public static Command Create()
    {
        var api = new EndpointOptions();
        var cluster = new Option<string>("--cluster") { DefaultValueFactory = _ => "default", Recursive = true };
        var command = new Command("service", "Create, list, describe, scale and deploy services.");
        api.AddTo(command);
        command.Options.Add(cluster);

        var name = new Argument<string>("name");
        var definition = new Argument<string>("task-definition");
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 1 };
        var daemon = new Option<bool>("--daemon") { Description = "One task on every node (DAEMON)." };
        var create = new Command("create", "Create a service and follow its first deployment.") { name, definition, count, daemon };
        create.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            object request = r.GetValue(daemon)
                ? new { cluster = r.GetValue(cluster), serviceName = r.GetValue(name), taskDefinition = r.GetValue(definition), schedulingStrategy = "DAEMON" }
                : new { cluster = r.GetValue(cluster), serviceName = r.GetValue(name), taskDefinition = r.GetValue(definition), desiredCount = r.GetValue(count) };
            await client.CallAsync("ecs", $"{Ecs}.CreateService", request, ct).ConfigureAwait(false);
            return await FollowAsync(client, r.GetValue(cluster)!, r.GetValue(name)!, ct).ConfigureAwait(false);
        });

        var ls = new Command("ls", "List services.");
        ls.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            var arns = (await client.CallAsync("ecs", $"{Ecs}.ListServices", new { cluster = r.GetValue(cluster), maxResults = 100 }, ct).ConfigureAwait(false))
                .GetProperty("serviceArns").EnumerateArray().Select(a => a.GetString()!).ToList();
            var rows = new List<IReadOnlyList<string>>();
            foreach (var chunk in arns.Chunk(10))
            {
                var described = await client.CallAsync("ecs", $"{Ecs}.DescribeServices", new { cluster = r.GetValue(cluster), services = chunk }, ct).ConfigureAwait(false);
                rows.AddRange(described.GetProperty("services").EnumerateArray().Select(s => (IReadOnlyList<string>)
                [
                    Text(s, "serviceName"), Text(s, "schedulingStrategy"), Number(s, "desiredCount"), Number(s, "runningCount"), Number(s, "pendingCount"),
                    Text(s, "taskDefinition").Split('/')[^1], Rollout(s),
                ]));
            }
            TableWriter.Write(Console.Out, ["SERVICE", "TYPE", "DESIRED", "RUNNING", "PENDING", "DEFINITION", "DEPLOYMENT"], rows, TableWriter.TerminalWidth());
            return 0;
        });

        var describe = new Command("describe", "Show a service, its deployments and recent events.") { new Argument<string>("service") };
        describe.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var s = await DescribeAsync(api.Client(r, http), r.GetValue(cluster)!, r.GetValue<string>("service")!, ct).ConfigureAwait(false);
            Console.WriteLine($"{Text(s, "serviceName")}  {Text(s, "status")}  desired {Number(s, "desiredCount")}  running {Number(s, "runningCount")}  pending {Number(s, "pendingCount")}");
            Console.WriteLine();
            TableWriter.Write(Console.Out, ["DEPLOYMENT", "STATUS", "ROLLOUT", "DEFINITION", "DESIRED", "RUNNING", "PENDING", "FAILED"],
                [.. s.GetProperty("deployments").EnumerateArray().Select(d => (IReadOnlyList<string>)
                [
                    Text(d, "id"), Text(d, "status"), Text(d, "rolloutState"), Text(d, "taskDefinition").Split('/')[^1],
                    Number(d, "desiredCount"), Number(d, "runningCount"), Number(d, "pendingCount"), Number(d, "failedTasks"),
                ])], TableWriter.TerminalWidth());
            Console.WriteLine();
            foreach (var e in s.GetProperty("events").EnumerateArray().Take(10))
            {
                Console.WriteLine(Text(e, "message"));
            }
            return 0;
        });

        var target = new Argument<string>("service");
        var desired = new Argument<int>("count");
        var scale = new Command("scale", "Change a service's desired count and follow it.") { target, desired };
        scale.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            await client.CallAsync("ecs", $"{Ecs}.UpdateService", new { cluster = r.GetValue(cluster), service = r.GetValue(target), desiredCount = r.GetValue(desired) }, ct).ConfigureAwait(false);
            return await FollowAsync(client, r.GetValue(cluster)!, r.GetValue(target)!, ct).ConfigureAwait(false);
        });

        var deployTarget = new Argument<string>("service");
        var revision = new Argument<string>("task-definition");
        var deploy = new Command("deploy", "Roll a service to a task definition revision and follow the deployment.") { deployTarget, revision };
        deploy.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            await client.CallAsync("ecs", $"{Ecs}.UpdateService", new { cluster = r.GetValue(cluster), service = r.GetValue(deployTarget), taskDefinition = r.GetValue(revision) }, ct).ConfigureAwait(false);
            return await FollowAsync(client, r.GetValue(cluster)!, r.GetValue(deployTarget)!, ct).ConfigureAwait(false);
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(ls);
        command.Subcommands.Add(describe);
        command.Subcommands.Add(scale);
        command.Subcommands.Add(deploy);
        return command;
    }

    /// <summary>Shows the deployments' progress on one line until the service is steady or its rollout failed.</summary>
    private static async Task<int> FollowAsync(GantryClient client, string cluster, string name, CancellationToken ct)
    {
        var terminal = !Console.IsOutputRedirected;
        var last = "";
        while (true)
        {
            var s = await DescribeAsync(client, cluster, name, ct).ConfigureAwait(false);
            var deployments = s.GetProperty("deployments").EnumerateArray().ToList();
            var line = string.Join("  ", deployments.Select(d =>
                $"{Text(d, "taskDefinition").Split('/')[^1]} {Text(d, "status")}/{Text(d, "rolloutState")} {Number(d, "runningCount")}/{Number(d, "desiredCount")} running"));
            if (line != last)
            {
                Console.Write(terminal ? $"\r{line}".PadRight(TableWriter.TerminalWidth() - 1) : line + Environment.NewLine);
                last = line;
            }
            var primary = deployments.FirstOrDefault(d => Text(d, "status") == "PRIMARY");
            if (deployments.Count == 1 && Text(primary, "rolloutState") == "COMPLETED" && Number(s, "runningCount") == Number(s, "desiredCount"))
            {
                Console.WriteLine(terminal ? Environment.NewLine + "steady" : "steady");
                return 0;
            }
            if (deployments.Any(d => Text(d, "rolloutState") == "FAILED"))
            {
                Console.WriteLine(terminal ? Environment.NewLine + "deployment failed" : "deployment failed");
                return 1;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        }
    }

    private static async Task<JsonElement> DescribeAsync(GantryClient client, string cluster, string name, CancellationToken ct)
    {
        var described = await client.CallAsync("ecs", $"{Ecs}.DescribeServices", new { cluster, services = new[] { name } }, ct).ConfigureAwait(false);
        return described.GetProperty("services").GetArrayLength() > 0 ? described.GetProperty("services")[0]
            : throw new InvalidOperationException($"service {name} not found in cluster {cluster}");
    }

    private static string Rollout(JsonElement service) =>
        service.GetProperty("deployments").EnumerateArray().FirstOrDefault(d => Text(d, "status") == "PRIMARY") is { ValueKind: JsonValueKind.Object } p ? Text(p, "rolloutState") : "";

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32().ToString(CultureInfo.InvariantCulture) : "0";
}
