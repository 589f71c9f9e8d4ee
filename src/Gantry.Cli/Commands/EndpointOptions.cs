using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>--endpoint</c>, <c>--data-dir</c> and <c>--region</c> of the commands that call a Gantry endpoint (on the command and
/// its subcommands), and the signed client they make of them.
/// </summary>
internal sealed class EndpointOptions
{
    public Option<string> Endpoint { get; } = new("--endpoint") { Description = "Gantry endpoint.", DefaultValueFactory = _ => "http://127.0.0.1:4566", Recursive = true };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = "A Gantry data directory whose root credentials to use when AWS_ACCESS_KEY_ID is not set.",
        DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gantry"),
        Recursive = true,
    };

    public Option<string> Region { get; } = new("--region")
    {
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
        Recursive = true,
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(DataDirectory);
        command.Options.Add(Region);
    }

    /// <summary>A client signing with the credentials <see cref="GantryCredentials.Resolve"/> finds for the parsed options.</summary>
    public GantryClient Client(ParseResult result, HttpClient http) =>
        new(http, new Uri(result.GetValue(Endpoint)!), GantryCredentials.Resolve(result.GetValue(DataDirectory)!), result.GetValue(Region)!);
}
