using Gantry.Api.State;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;

namespace Gantry.Api.Ecs;

/// <summary>
/// ListServicesByNamespace: the services of every cluster whose <c>serviceRegistries</c> name a Cloud Map service of the
/// namespace (by name or ARN), ordered by ARN, <c>maxResults</c> 1–100 (10 by default). ECS lists Service Connect services
/// there; Gantry refuses Service Connect, so these are the ones that register in the namespace.
/// </summary>
public sealed partial class ServiceOperations
{
    public async Task<ListServicesByNamespaceResponse> ListByNamespaceAsync(ListServicesByNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = PageToken.Limit(request.MaxResults ?? 10);
        var after = PageToken.Decode(request.NextToken);
        var namespaceId = await registryRules.NamespaceIdAsync(request.Namespace, ct).ConfigureAwait(false);
        var inNamespace = new List<string>();
        var namespaceOf = new Dictionary<string, string?>(StringComparer.Ordinal); // services share registries: each read once
        foreach (var stored in await documents.ListAllAsync<ServiceRecord>(Kinds.Service, null, ct).ConfigureAwait(false))
        {
            var service = stored.Value.Service;
            if (service.Status == "INACTIVE" || service.ServiceRegistries is not [{ RegistryArn: { } registry }, ..])
            {
                continue;
            }
            if (!namespaceOf.TryGetValue(registry, out var ns))
            {
                namespaceOf[registry] = ns = await registryRules.NamespaceOfAsync(registry, ct).ConfigureAwait(false);
            }
            if (ns == namespaceId)
            {
                inNamespace.Add(service.ServiceArn!);
            }
        }
        var page = inNamespace.Order(StringComparer.Ordinal).Where(arn => after is null || string.CompareOrdinal(arn, after) > 0).Take(limit + 1).ToList();
        return new ListServicesByNamespaceResponse
        {
            ServiceArns = [.. page.Take(limit)],
            NextToken = page.Count > limit ? PageToken.Encode(page[limit - 1]) : null,
        };
    }
}
