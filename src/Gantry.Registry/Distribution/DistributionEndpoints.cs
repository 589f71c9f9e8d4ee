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
    private readonly IRegistryAccess _access;
    private readonly ILogger _logger;
    private readonly Dictionary<(RouteKind Kind, string Method), (Func<DistributionContext, Task> Handler, string Action)> _endpoints;

    public DistributionEndpoints(ImageCatalog catalog, UploadStore uploads, IRegistryAccess credentials, ILogger<DistributionEndpoints> logger)
    {
        _catalog = catalog;
        _access = credentials;
        _logger = logger;
        var blobs = new BlobEndpoints(catalog);
        var upload = new UploadEndpoints(catalog, uploads);
        var manifests = new ManifestEndpoints(catalog);
        var discovery = new DiscoveryEndpoints(catalog);
        _endpoints = new()
        {
            [(RouteKind.Blob, "GET")] = (blobs.GetAsync, RepositoryPolicy.DownloadLayer),
            [(RouteKind.Blob, "HEAD")] = (blobs.GetAsync, RepositoryPolicy.DownloadLayer),
            [(RouteKind.Blob, "DELETE")] = (blobs.DeleteAsync, RepositoryPolicy.Delete),
            [(RouteKind.Uploads, "POST")] = (upload.StartAsync, RepositoryPolicy.UploadLayer),
            [(RouteKind.Upload, "PATCH")] = (upload.PatchAsync, RepositoryPolicy.UploadLayer),
            [(RouteKind.Upload, "PUT")] = (upload.CompleteAsync, RepositoryPolicy.UploadLayer),
            [(RouteKind.Upload, "GET")] = (upload.StatusAsync, RepositoryPolicy.UploadLayer),
            [(RouteKind.Upload, "DELETE")] = (upload.CancelAsync, RepositoryPolicy.UploadLayer),
            [(RouteKind.Manifest, "GET")] = (manifests.GetAsync, RepositoryPolicy.Pull),
            [(RouteKind.Manifest, "HEAD")] = (manifests.GetAsync, RepositoryPolicy.Pull),
            [(RouteKind.Manifest, "PUT")] = (manifests.PutAsync, RepositoryPolicy.Push),
            [(RouteKind.Manifest, "DELETE")] = (manifests.DeleteAsync, RepositoryPolicy.Delete),
            [(RouteKind.Tags, "GET")] = (discovery.TagsAsync, RepositoryPolicy.Pull),
            [(RouteKind.Referrers, "GET")] = (discovery.ReferrersAsync, RepositoryPolicy.Pull),
        };
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
                if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
                {
                    throw MethodNotAllowed(http, "GET, HEAD");
                }
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
            if (await _access.DeniedAsync(principal, action, repository, http, http.RequestAborted).ConfigureAwait(false) is { } denied)
            {
                throw new RegistryException(RegistryError.Denied, denied);
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
        var kind = context.Route.Kind;
        return _endpoints.TryGetValue((kind, context.Request.Method.ToUpperInvariant()), out var endpoint) ? endpoint
            : throw MethodNotAllowed(context.Http, string.Join(", ", _endpoints.Keys.Where(k => k.Kind == kind).Select(k => k.Method)));
    }

    /// <summary>A 405 with the methods the path does answer (RFC 9110 requires <c>Allow</c> on a 405).</summary>
    private static RegistryException MethodNotAllowed(HttpContext http, string allowed)
    {
        http.Response.Headers.Allow = allowed;
        return new RegistryException(RegistryError.Unsupported, $"{http.Request.Method} is not supported on {http.Request.Path}");
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
            : await _access.AuthenticateAsync(decoded[..colon], decoded[(colon + 1)..], request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry request {Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string? path);
}
