using System.CommandLine;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry lb ls` and `gantry lb describe NAME`: Gantry's load balancers at a glance — listeners, rules in priority
/// order, target groups and each target's health — through the ELBv2 API (SigV4-signed for "elasticloadbalancing").
/// </summary>
internal static class LbCommand
{
    public static Command Create()
    {
        var api = new EndpointOptions();
        var command = new Command("lb", "Load balancers: listeners, rules, target groups and target health.");
        api.AddTo(command);
        async Task<int> RunAsync(ParseResult r, string verb, string? name, bool withRules, Action<IReadOnlyList<LbView>, int> write, CancellationToken ct)
        {
            IReadOnlyList<LbView> views;
            try
            {
                using var http = new HttpClient();
                var client = new LbQueryClient(api.Client(r, http));
                views = await LbView.ReadAsync(client, name, withRules, ct).ConfigureAwait(false);
            }
            catch (AwsException e)
            {
                await Console.Error.WriteLineAsync($"gantry lb {verb}: {e.Type}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            write(views, TableWriter.TerminalWidth());
            return 0;
        }

        var ls = new Command("ls", "Every load balancer: type, DNS name, address, listeners and healthy/total targets.");
        ls.SetAction((r, ct) => RunAsync(r, "ls", null, withRules: false, (views, width) => WriteList(Console.Out, views, width), ct));
        var nameArgument = new Argument<string>("name") { Description = "The load balancer's name." };
        var describe = new Command("describe", "One load balancer: its listeners with their rules in priority order, and its target groups with each target's state.")
        {
            nameArgument,
        };
        describe.SetAction((r, ct) => RunAsync(r, "describe", r.GetValue(nameArgument), withRules: true, (views, width) => WriteDescription(Console.Out, views[0], width), ct));
        command.Subcommands.Add(ls);
        command.Subcommands.Add(describe);
        return command;
    }

    /// <summary>One row per load balancer.</summary>
    internal static void WriteList(TextWriter output, IReadOnlyList<LbView> views, int width) =>
        TableWriter.Write(output, ["NAME", "TYPE", "DNS NAME", "ADDRESS", "LISTENERS", "TARGETS"], views.Select(v => (IReadOnlyList<string>)
        [
            v.Name,
            v.Type == "network" ? "net" : "app",
            v.DnsName,
            v.Address,
            v.Listeners.Count == 0 ? "-" : string.Join(' ', v.Listeners.Select(l => l.Name)),
            $"{v.Healthy}/{v.Targets}",
        ]).ToList(), width);

    /// <summary>The load balancer, its listeners with their rules (lowest priority first, default last), and its target groups' targets.</summary>
    internal static void WriteDescription(TextWriter output, LbView view, int width)
    {
        void Line(string text) => output.WriteLine(text.Length <= width ? text : text[..(width - 1)] + "…");
        Line($"{view.Name}  {view.Type}  {view.State}");
        Line($"  DNS name  {view.DnsName}");
        Line($"  Address   {view.Address}");
        Line("Listeners");
        if (view.Listeners.Count == 0)
        {
            Line("  (none)");
        }
        foreach (var listener in view.Listeners)
        {
            Line($"  {listener.Name}");
            var priorityWidth = listener.Rules.Select(r => r.Priority.Length).DefaultIfEmpty(0).Max();
            foreach (var rule in listener.Rules)
            {
                Line($"    {rule.Priority.PadLeft(priorityWidth)}  {rule.Conditions} -> {rule.Actions}");
            }
        }
        Line("Target groups");
        if (view.Groups.Count == 0)
        {
            Line("  (none)");
        }
        foreach (var group in view.Groups)
        {
            Line($"  {group.Name}  {group.Port}  {group.Targets.Count(t => t.State == "healthy")}/{group.Targets.Count} healthy");
            var targetWidth = group.Targets.Select(t => t.Target.Length).DefaultIfEmpty(0).Max();
            foreach (var target in group.Targets)
            {
                Line($"    {target.Target.PadRight(targetWidth)}  {target.State}{(target.Reason is null ? "" : $"  {target.Reason}")}".TrimEnd());
            }
        }
    }
}
