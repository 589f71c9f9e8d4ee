using System.Text;
using Gantry.Domain.Errors;
using Gantry.Oci.Build;
using Gantry.Oci.Push;

namespace Gantry.Cli.Commands;

/// <summary>
/// Turns a root filesystem into an OCI image and pushes it to a Gantry registry the way any client would:
/// CreateRepository (if needed), GetAuthorizationToken, then the /v2/ upload protocol.
/// </summary>
internal static class ImageImport
{
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921";

    public static async Task<string> RunAsync(GantryClient client, HttpClient http, ImageBuildOptions options, string repository, string tag,
        IProgress<PushProgress>? progress, CancellationToken ct)
    {
        try
        {
            await client.CallAsync("ecr", $"{Ecr}.CreateRepository", new { repositoryName = repository }, ct).ConfigureAwait(false);
        }
        catch (AwsException e) when (e.Type == "RepositoryAlreadyExistsException")
        {
            // Pushing into an existing repository.
        }
        var token = await client.CallAsync("ecr", $"{Ecr}.GetAuthorizationToken", new { }, ct).ConfigureAwait(false);
        var data = token.GetProperty("authorizationData")[0];
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("authorizationToken").GetString()!)).Split(':', 2);
        var workspace = Directory.CreateTempSubdirectory("gantry-import-").FullName;
        try
        {
            var image = await new ImageBuilder(TimeProvider.System).BuildAsync(options, workspace, ct).ConfigureAwait(false);
            var pusher = new RegistryPusher(http, new Uri(data.GetProperty("proxyEndpoint").GetString()!), new RegistryCredentials(pair[0], pair[1]));
            await pusher.PushAsync(image, repository, tag, progress, ct).ConfigureAwait(false);
            return image.ManifestDigest.ToString();
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
