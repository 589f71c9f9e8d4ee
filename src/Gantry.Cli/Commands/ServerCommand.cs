using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary>`gantry server`: the control plane alone.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var options = new ControlPlaneOptions();
        var command = new Command("server", "Run the control plane (AWS JSON APIs, state store).");
        options.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var settings = options.Read(result);
            await using var plane = await ControlPlane.StartOrReportAsync(settings, ct).ConfigureAwait(false);
            if (plane is null)
            {
                return 1;
            }
            Console.WriteLine($"gantry server listening on {plane.Endpoint} (agents: {plane.AgentEndpoint})");
            Console.WriteLine($"root access key {plane.RootKey.AccessKeyId}; credentials in {plane.CredentialsFile}");
            Console.WriteLine($"registry uploads: {plane.Uploads}");
            await plane.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
