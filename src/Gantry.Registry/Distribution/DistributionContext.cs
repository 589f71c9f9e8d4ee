using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>One authenticated request to a repository endpoint.</summary>
internal sealed record DistributionContext(HttpContext Http, DistributionRoute Route, RepositoryRecord Repository, string Principal)
{
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;
    public CancellationToken Aborted => Http.RequestAborted;
    public string Name => Route.Name;
}
