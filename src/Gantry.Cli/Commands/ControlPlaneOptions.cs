using System.CommandLine;
using System.Net;
using Gantry.Domain.Arns;

namespace Gantry.Cli.Commands;

/// <summary>Options shared by `gantry server` and `gantry dev`.</summary>
internal sealed class ControlPlaneOptions
{
    public Option<string> Listen { get; } = new("--listen")
    {
        Description = "Address to serve the AWS APIs on (host:port; port 0 picks a free one).",
        DefaultValueFactory = _ => "127.0.0.1:4566",
    };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Where state, keys and content live.",
        DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gantry"),
    };

    public Option<string> Region { get; } = new("--region")
    {
        Description = "Region used in ARNs and expected in signatures.",
        DefaultValueFactory = _ => AwsAccount.Default.Region,
    };

    public Option<string> AccountId { get; } = new("--account-id")
    {
        Description = "12-digit account id used in ARNs.",
        DefaultValueFactory = _ => AwsAccount.Default.AccountId,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Listen);
        command.Options.Add(DataDirectory);
        command.Options.Add(Region);
        command.Options.Add(AccountId);
    }

    public ControlPlaneSettings Read(ParseResult result)
    {
        var listen = result.GetValue(Listen)!;
        if (!IPEndPoint.TryParse(listen, out var endpoint))
        {
            throw new ArgumentException($"--listen must be host:port with an IP address, got '{listen}'.");
        }
        var accountId = result.GetValue(AccountId)!;
        if (accountId.Length != 12 || !accountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"--account-id must be 12 digits, got '{accountId}'.");
        }
        return new ControlPlaneSettings(endpoint, Path.GetFullPath(result.GetValue(DataDirectory)!), new AwsAccount(result.GetValue(Region)!, accountId));
    }
}

internal sealed record ControlPlaneSettings(IPEndPoint Listen, string DataDirectory, AwsAccount Account);
