using System.CommandLine;
using Gantry.Oci.Build;
using Gantry.Oci.Push;

namespace Gantry.Cli.Commands;

/// <summary>`gantry image import ROOTFS REPOSITORY[:TAG]`: build an OCI image from a directory or tarball and push it.</summary>
internal static class ImageCommand
{
    public static Command Create()
    {
        var rootfs = new Argument<string>("rootfs") { Description = "A root filesystem: a directory, a .tar or a .tar.gz." };
        var target = new Argument<string>("repository") { Description = "Repository to push to, with an optional :tag (default latest)." };
        var api = new EndpointOptions();
        var entrypoint = new Option<string[]>("--entrypoint") { Description = "Entrypoint argv (repeat for each element)." };
        var cmd = new Option<string[]>("--cmd") { Description = "Cmd argv (repeat for each element)." };
        var env = new Option<string[]>("--env") { Description = "KEY=VALUE (repeatable)." };
        var workdir = new Option<string?>("--workdir");
        var user = new Option<string?>("--user");
        var ports = new Option<string[]>("--expose") { Description = "Exposed port, e.g. 80 or 53/udp (repeatable)." };

        var import = new Command("import", "Build an OCI image from a root filesystem and push it, with progress.")
        {
            rootfs, target, entrypoint, cmd, env, workdir, user, ports,
        };
        api.AddTo(import);
        import.SetAction(async (result, ct) =>
        {
            var (repository, tag) = SplitReference(result.GetValue(target)!);
            var options = new ImageBuildOptions
            {
                RootFs = Path.GetFullPath(result.GetValue(rootfs)!),
                Entrypoint = NullIfEmpty(result.GetValue(entrypoint)),
                Cmd = NullIfEmpty(result.GetValue(cmd)),
                Env = result.GetValue(env) ?? [],
                WorkingDir = result.GetValue(workdir),
                User = result.GetValue(user),
                ExposedPorts = result.GetValue(ports) ?? [],
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var client = api.Client(result, http);
            var progress = new ProgressBar(Console.Out, !Console.IsOutputRedirected, Math.Clamp(SafeWidth(), 40, 120));
            var digest = await ImageImport.RunAsync(client, http, options, repository, tag, progress, ct).ConfigureAwait(false);
            Console.WriteLine($"{client.Endpoint.Authority}/{repository}:{tag} {digest}");
            return 0;
        });
        return new Command("image", "Work with images in Gantry's registry.") { import };
    }

    private static (string Repository, string Tag) SplitReference(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > 0 && !reference[colon..].Contains('/', StringComparison.Ordinal) ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    private static int SafeWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 80 : Console.WindowWidth;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
