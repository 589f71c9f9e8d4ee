using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>`gantry dev`: the embedded default: control plane on SQLite, a `gantry` AWS CLI profile, a self-check.</summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var options = new ControlPlaneOptions(writeRootCredentialsByDefault: true);
        var command = new Command("dev", "Run Gantry on its embedded default and write a `gantry` AWS CLI profile.");
        options.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (options.TryRead(result, "dev") is not { } settings)
            {
                return 2;
            }
            await using var plane = await ControlPlane.StartOrReportAsync(settings, ct).ConfigureAwait(false);
            if (plane is null)
            {
                return 1;
            }
            var profile = DevProfile.Write(plane, settings);
            Console.WriteLine($"gantry dev listening on {plane.Endpoint} (agents: {plane.AgentEndpoint})");
            Console.WriteLine($"  data:    {settings.DataDirectory}");
            Console.WriteLine(plane.Dns is { } dns ? $"  dns:     Cloud Map namespaces at {dns.Endpoint} (dig @{dns.Endpoint.Address} -p {dns.Endpoint.Port} NAME)"
                : "  dns:     none (--dns-listen none, or its address was taken)");
            Console.WriteLine($"  uploads: {plane.Uploads}");
            Console.WriteLine($"  profile: [gantry] in {profile.CredentialsPath} and {profile.ConfigPath}");
            var check = await SelfCheck.RunAsync(plane, settings.Account.Region, ct).ConfigureAwait(false);
            Console.WriteLine($"  check:   signed ListClusters answered, {check} cluster(s)");
            var sample = await SampleImage.ImportAsync(plane, settings.Account.Region, ct).ConfigureAwait(false);
            Console.WriteLine(sample is null
                ? $"  sample:  none ({SampleImage.BusyboxPath} missing: apt-get install busybox-static)"
                : $"  sample:  {plane.Endpoint.Authority}/{SampleImage.Repository}:{SampleImage.Tag} {sample}");
            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            await using var agent = LocalAgent.WhyNot() is null ? await LocalAgent.StartAsync(plane, settings, logging, ct).ConfigureAwait(false) : null;
            Console.WriteLine(agent is null
                ? $"  agent:   none ({LocalAgent.WhyNot()})"
                : $"  agent:   local node joining cluster '{LocalAgent.Cluster}'");
            Console.WriteLine();
            Console.WriteLine("Try:");
            Console.WriteLine($"  /usr/bin/aws --profile gantry --endpoint-url {plane.Endpoint.ToString().TrimEnd('/')} ecs create-cluster --cluster-name demo");
            Console.WriteLine($"  /usr/bin/aws --profile gantry --endpoint-url {plane.Endpoint.ToString().TrimEnd('/')} ecs list-clusters");
            Console.WriteLine($"  /usr/bin/aws --profile gantry --endpoint-url {plane.Endpoint.ToString().TrimEnd('/')} ecr get-login-password | skopeo login --tls-verify=false -u AWS --password-stdin {plane.Endpoint.Authority}");
            await plane.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
