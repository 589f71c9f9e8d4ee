using System.Text;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;
using Gantry.Registry.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Distribution;

/// <summary>
/// The OCI Distribution Spec v1.1 API under <c>/v2/</c>: authenticates every request (Basic, user <c>AWS</c>),
/// routes it by path and method, enforces the repository policy, and writes spec error bodies.
/// </summary>
public sealed partial class DistributionEndpoints
{
    public const string Realm = "Gantry";
    private readonly ImageCatalog _catalog;
    private readonly IRegistryCredentials _credentials;
    private readonly ILogger _logger;
    private readonly BlobEndpoints _blobs;
    private readonly UploadEndpoints _uploads;
    private readonly ManifestEndpoints _manifests;
    private readonly DiscoveryEndpoints _discovery;

    public DistributionEndpoints(ImageCatalog catalog, UploadStore uploads, IRegistryCredentials credentials, ILogger<DistributionEndpoints> logger)
    {
        _catalog = catalog;
        _credentials = credentials;
        _logger = logger;
        _blobs = new BlobEndpoints(catalog);
        _uploads = new UploadEndpoints(catalog, uploads);
        _manifests = new ManifestEndpoints(catalog);
        _discovery = new DiscoveryEndpoints(catalog);
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Map("/v2", HandleAsync);
        routes.Map("/v2/{**path}", HandleAsync);
    }

    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        try
        {
            var principal = await AuthenticateAsync(http.Request).ConfigureAwait(false);
            if (principal is null)
            {
                http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\",service=\"ecr.amazonaws.com\"";
                throw new RegistryException(RegistryError.Unauthorized, "authentication required: use 'aws ecr get-login-password' with user AWS");
            }
            var route = DistributionRoute.Parse(http.Request.Path.Value?["/v2".Length..] ?? "");
            if (route.Kind == RouteKind.Base)
            {
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{}", http.RequestAborted).ConfigureAwait(false);
                return;
            }
            if (route.Kind == RouteKind.Unknown)
            {
                throw new RegistryException(RegistryError.Unsupported, $"no endpoint at {http.Request.Path}");
            }
            if (!RepositoryNames.IsValid(route.Name))
            {
                throw new RegistryException(RegistryError.NameInvalid, $"invalid repository name '{route.Name}'");
            }
            var repository = await _catalog.RequireRepositoryAsync(route.Name, http.RequestAborted).ConfigureAwait(false);
            var context = new DistributionContext(http, route, repository, principal);
            var (handler, action) = Dispatch(context);
            if (RepositoryPolicy.Denies(repository.PolicyText, principal, action))
            {
                throw new RegistryException(RegistryError.Denied, $"{principal} is not authorized to perform {action} on repository '{route.Name}' (denied by the repository policy)");
            }
            await handler(context).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            await DistributionErrors.WriteAsync(http.Response, e.Code, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            LogFault(_logger, e, http.Request.Method, http.Request.Path);
            await DistributionErrors.WriteAsync(http.Response, RegistryError.BlobUploadInvalid, e.Message).ConfigureAwait(false);
        }
    }

    private (Func<DistributionContext, Task> Handler, string Action) Dispatch(DistributionContext context)
    {
        var method = context.Request.Method;
        bool Is(string m) => string.Equals(method, m, StringComparison.OrdinalIgnoreCase);
        return context.Route.Kind switch
        {
            RouteKind.Blob when Is("GET") || Is("HEAD") => (_blobs.GetAsync, RepositoryPolicy.DownloadLayer),
            RouteKind.Blob when Is("DELETE") => (_blobs.DeleteAsync, RepositoryPolicy.Delete),
            RouteKind.Uploads when Is("POST") => (_uploads.StartAsync, RepositoryPolicy.UploadLayer),
            RouteKind.Upload when Is("PATCH") => (_uploads.PatchAsync, RepositoryPolicy.UploadLayer),
            RouteKind.Upload when Is("PUT") => (_uploads.CompleteAsync, RepositoryPolicy.UploadLayer),
            RouteKind.Upload when Is("GET") => (_uploads.StatusAsync, RepositoryPolicy.UploadLayer),
            RouteKind.Upload when Is("DELETE") => (_uploads.CancelAsync, RepositoryPolicy.UploadLayer),
            RouteKind.Manifest when Is("GET") || Is("HEAD") => (_manifests.GetAsync, RepositoryPolicy.Pull),
            RouteKind.Manifest when Is("PUT") => (_manifests.PutAsync, RepositoryPolicy.Push),
            RouteKind.Manifest when Is("DELETE") => (_manifests.DeleteAsync, RepositoryPolicy.Delete),
            RouteKind.Tags when Is("GET") => (_discovery.TagsAsync, RepositoryPolicy.Pull),
            RouteKind.Referrers when Is("GET") => (_discovery.ReferrersAsync, RepositoryPolicy.Pull),
            _ => throw new RegistryException(RegistryError.Unsupported, $"{method} is not supported on {context.Request.Path}"),
        };
    }

    private async Task<string?> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null
            : await _credentials.ValidateAsync(decoded[..colon], decoded[(colon + 1)..], request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry request {Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string? path);
}
