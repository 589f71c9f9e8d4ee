using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary>`gantry server`: the control plane alone.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var options = new ControlPlaneOptions(writeRootCredentialsByDefault: false);
        var command = new Command("server", "Run the control plane (AWS JSON APIs, state store).");
        options.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (options.TryRead(result, "server") is not { } settings)
            {
                return 2;
            }
            await using var plane = await ControlPlane.StartOrReportAsync(settings, ct).ConfigureAwait(false);
            if (plane is null)
            {
                return 1;
            }
            Console.WriteLine($"gantry server listening on {plane.Endpoint} (agents: {plane.AgentEndpoint})");
            Console.WriteLine(plane.CredentialsFile is null
                ? $"root access key {plane.RootKey.AccessKeyId}; its secret is sealed in {settings.DataDirectory} (gantry CLI verbs with --data-dir read it; --write-root-credentials writes an AWS CLI profile)"
                : $"root access key {plane.RootKey.AccessKeyId}; credentials in {plane.CredentialsFile}");
            Console.WriteLine($"registry uploads: {plane.Uploads}");
            await plane.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
