using System.CommandLine;
using Gantry.Cli.Commands;

var root = new RootCommand("Gantry: ECS, Fargate and ECR semantics on your own machines.");
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(DevCommand.Create());
root.Subcommands.Add(ImageCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(NodeCommand.Create());
root.Subcommands.Add(TaskCommand.Create());
root.Subcommands.Add(ServiceCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(UsageCommand.Create());
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(LbCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
var parsed = root.Parse(args);
var invocation = new InvocationConfiguration();
if (AgentCommand.TerminationTimeout(parsed) is { } grace)
{
    invocation.ProcessTerminationTimeout = grace;
}
return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
