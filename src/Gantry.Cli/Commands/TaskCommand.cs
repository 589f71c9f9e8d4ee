using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gantry.Domain.Arns;
using TaskStatus = Gantry.Domain.Tasks.TaskStatus;

namespace Gantry.Cli.Commands;

/// <summary>`gantry task run|ls|stop|describe`: ECS tasks with readable tables.</summary>
internal static class TaskCommand
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";
    private static readonly string[] TextFields = ["taskArn", "taskDefinitionArn", "containerInstanceArn", "lastStatus", "desiredStatus", "healthStatus", "stopCode", "stoppedReason", "group", "startedBy"];
    private static readonly string[] TimeFields = ["createdAt", "pullStartedAt", "pullStoppedAt", "startedAt", "stoppingAt", "stoppedAt"];

    public static Command Create()
    {
        var api = new EndpointOptions();
        var cluster = new Option<string>("--cluster") { DefaultValueFactory = _ => "default", Recursive = true };
        var command = new Command("task", "Run, list, stop and describe tasks.");
        api.AddTo(command);
        command.Options.Add(cluster);


        var definition = new Argument<string>("task-definition") { Description = "family, family:revision or ARN" };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 1 };
        var wait = new Option<bool>("--wait") { Description = "Wait until the tasks run (or stop), showing their status." };
        var run = new Command("run", "Run tasks from a task definition.") { definition, count, wait };
        run.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            var result = await client.CallAsync("ecs", $"{Ecs}.RunTask",
                new { cluster = r.GetValue(cluster), taskDefinition = r.GetValue(definition), count = r.GetValue(count) }, ct).ConfigureAwait(false);
            foreach (var failure in result.GetProperty("failures").EnumerateArray())
            {
                Console.WriteLine($"failed: {Text(failure, "reason")} {Text(failure, "arn")}");
            }
            var arns = result.GetProperty("tasks").EnumerateArray().Select(t => Text(t, "taskArn")).ToList();
            if (arns.Count > 0 && r.GetValue(wait))
            {
                await WaitAsync(client, r.GetValue(cluster)!, arns, ct).ConfigureAwait(false);
            }
            if (arns.Count > 0)
            {
                await PrintAsync(client, r.GetValue(cluster)!, arns, ct).ConfigureAwait(false);
            }
            return arns.Count > 0 ? 0 : 1;
        });

        var desired = new Option<string>("--desired-status") { DefaultValueFactory = _ => "RUNNING" };
        var ls = new Command("ls", "List tasks.") { desired };
        ls.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            var arns = new List<string>();
            string? next = null;
            do
            {
                var page = await client.CallAsync("ecs", $"{Ecs}.ListTasks", new { cluster = r.GetValue(cluster), desiredStatus = r.GetValue(desired), nextToken = next }, ct).ConfigureAwait(false);
                arns.AddRange(page.GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()!));
                next = page.TryGetProperty("nextToken", out var token) ? token.GetString() : null;
            }
            while (next is not null);
            if (arns.Count == 0)
            {
                Console.WriteLine("no tasks");
                return 0;
            }
            await PrintAsync(client, r.GetValue(cluster)!, arns, ct).ConfigureAwait(false);
            return 0;
        });

        var task = new Argument<string>("task") { Description = "task id or ARN" };
        var reason = new Option<string?>("--reason");
        var stop = new Command("stop", "Stop a task (stop signal, then SIGKILL after stopTimeout).") { task, reason };
        stop.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            var stopped = await client.CallAsync("ecs", $"{Ecs}.StopTask", new { cluster = r.GetValue(cluster), task = r.GetValue(task), reason = r.GetValue(reason) }, ct).ConfigureAwait(false);
            Console.WriteLine($"stopping {EcsArns.TaskId(Text(stopped.GetProperty("task"), "taskArn"))}");
            return 0;
        });

        var describe = new Command("describe", "Show a task and its containers.") { new Argument<string>("task") { Description = "task id or ARN" } };
        describe.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            var result = await client.CallAsync("ecs", $"{Ecs}.DescribeTasks", new { cluster = r.GetValue(cluster), tasks = new[] { r.GetValue<string>("task") } }, ct).ConfigureAwait(false);
            if (result.GetProperty("tasks").GetArrayLength() == 0)
            {
                await Console.Error.WriteLineAsync("no such task").ConfigureAwait(false);
                return 1;
            }
            var t = result.GetProperty("tasks")[0];
            foreach (var field in TextFields)
            {
                if (Text(t, field) is { Length: > 0 } value)
                {
                    Console.WriteLine($"{field,-22}{value}");
                }
            }
            foreach (var field in TimeFields)
            {
                if (t.TryGetProperty(field, out var at))
                {
                    Console.WriteLine($"{field,-22}{DateTimeOffset.FromUnixTimeMilliseconds((long)(at.GetDouble() * 1000)).ToLocalTime():yyyy-MM-dd HH:mm:ss}");
                }
            }
            Console.WriteLine();
            var rows = t.GetProperty("containers").EnumerateArray().Select(c => (IReadOnlyList<string>)
            [
                Text(c, "name"), Text(c, "lastStatus"), c.TryGetProperty("exitCode", out var code) ? code.GetInt32().ToString(CultureInfo.InvariantCulture) : "",
                Text(c, "healthStatus"), Ports(c), Text(c, "reason"),
            ]).ToList();
            TableWriter.Write(Console.Out, ["CONTAINER", "STATUS", "EXIT", "HEALTH", "PORTS", "REASON"], rows, TableWriter.TerminalWidth());
            return 0;
        });

        command.Subcommands.Add(run);
        command.Subcommands.Add(ls);
        command.Subcommands.Add(stop);
        command.Subcommands.Add(describe);
        return command;
    }

    private static async Task WaitAsync(GantryClient client, string cluster, IReadOnlyList<string> arns, CancellationToken ct)
    {
        while (true)
        {
            var tasks = (await client.CallAsync("ecs", $"{Ecs}.DescribeTasks", new { cluster, tasks = arns }, ct).ConfigureAwait(false)).GetProperty("tasks").EnumerateArray().ToList();
            var statuses = tasks.GroupBy(t => Text(t, "lastStatus")).Select(g => $"{g.Count()} {g.Key}").ToList();
            Console.Write($"\r{string.Join(", ", statuses)}".PadRight(60));
            if (tasks.All(t => Text(t, "lastStatus") is TaskStatus.Running or TaskStatus.Stopped))
            {
                Console.WriteLine();
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        }
    }

    private static async Task PrintAsync(GantryClient client, string cluster, IReadOnlyList<string> arns, CancellationToken ct)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var chunk in arns.Chunk(100))
        {
            var result = await client.CallAsync("ecs", $"{Ecs}.DescribeTasks", new { cluster, tasks = chunk }, ct).ConfigureAwait(false);
            rows.AddRange(result.GetProperty("tasks").EnumerateArray().Select(t => (IReadOnlyList<string>)
            [
                EcsArns.TaskId(Text(t, "taskArn")), Text(t, "taskDefinitionArn").Split('/')[^1], Text(t, "lastStatus"), Text(t, "desiredStatus"), Text(t, "healthStatus"),
                string.Join(",", t.GetProperty("containers").EnumerateArray().Select(Ports).Where(p => p.Length > 0)),
                EcsArns.ContainerInstanceId(Text(t, "containerInstanceArn")),
            ]));
        }
        TableWriter.Write(Console.Out, ["TASK", "DEFINITION", "STATUS", "DESIRED", "HEALTH", "PORTS", "INSTANCE"], rows, TableWriter.TerminalWidth());
    }

    private static string Ports(JsonElement container) =>
        container.TryGetProperty("networkBindings", out var bindings)
            ? string.Join(",", bindings.EnumerateArray().Select(b => $"{b.GetProperty("hostPort").GetInt32()}->{b.GetProperty("containerPort").GetInt32()}"))
            : "";

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
