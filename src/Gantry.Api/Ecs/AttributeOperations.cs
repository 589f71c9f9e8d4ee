using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>PutAttributes, DeleteAttributes and ListAttributes on container instances.</summary>
public sealed partial class AttributeOperations(Documents documents, ContainerInstanceRegistry registry, EcsArns arns)
{
    private const string TargetType = "container-instance";

    public async Task<PutAttributesResponse> PutAsync(PutAttributesRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        var attributes = Validate(request.Attributes);
        foreach (var group in attributes.GroupBy(a => EcsArns.ContainerInstanceId(a.TargetId!)))
        {
            await ChangeAsync(cluster, group.Key, existing =>
                [.. existing.Where(e => group.All(a => a.Name != e.Name)), .. group.Select(a => new EcsAttribute { Name = a.Name, Value = a.Value })], ct).ConfigureAwait(false);
        }
        return new PutAttributesResponse { Attributes = attributes };
    }

    public async Task<DeleteAttributesResponse> DeleteAsync(DeleteAttributesRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        var attributes = Validate(request.Attributes);
        foreach (var group in attributes.GroupBy(a => EcsArns.ContainerInstanceId(a.TargetId!)))
        {
            await ChangeAsync(cluster, group.Key, existing => [.. existing.Where(e => group.All(a => a.Name != e.Name))], ct).ConfigureAwait(false);
        }
        return new DeleteAttributesResponse { Attributes = attributes };
    }

    public async Task<ListAttributesResponse> ListAsync(ListAttributesRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        if (request.TargetType != TargetType)
        {
            throw EcsErrors.InvalidParameter("targetType must be container-instance.");
        }
        if (request.AttributeValue is not null && request.AttributeName is null)
        {
            throw EcsErrors.InvalidParameter("attributeValue can only be given with attributeName.");
        }
        var all = (await registry.ListAsync(cluster, ct).ConfigureAwait(false))
            .Where(i => i.Value.Status != "INACTIVE")
            .SelectMany(i => (i.Value.Attributes ?? []).Select(a => new EcsAttribute { Name = a.Name, Value = a.Value, TargetType = TargetType, TargetId = i.Value.ContainerInstanceArn }))
            .Where(a => (request.AttributeName is null || a.Name == request.AttributeName) && (request.AttributeValue is null || a.Value == request.AttributeValue))
            .ToList();
        var limit = PageToken.Limit(request.MaxResults);
        var start = PageToken.Decode(request.NextToken) is { } token && int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = all.Skip(start).Take(limit).ToList();
        return new ListAttributesResponse
        {
            Attributes = page,
            NextToken = start + limit < all.Count ? PageToken.Encode((start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
        };
    }

    private static List<EcsAttribute> Validate(IReadOnlyList<EcsAttribute>? attributes)
    {
        if (attributes is not { Count: > 0 and <= 10 })
        {
            throw EcsErrors.InvalidParameter("attributes must have between 1 and 10 items.");
        }
        foreach (var attribute in attributes)
        {
            if (attribute.Name is null || !NamePattern().IsMatch(attribute.Name))
            {
                throw EcsErrors.InvalidParameter($"Attribute name '{attribute.Name}' must be 1-128 letters, numbers, hyphens, underscores, slashes or periods.");
            }
            if (attribute.Value is not null && !ValuePattern().IsMatch(attribute.Value))
            {
                throw EcsErrors.InvalidParameter($"Attribute value '{attribute.Value}' must be 1-128 letters, numbers, hyphens, underscores, periods, at signs, slashes, colons or spaces.");
            }
            if (attribute.TargetType is not (null or TargetType) || string.IsNullOrEmpty(attribute.TargetId))
            {
                throw EcsErrors.InvalidParameter("Each attribute needs a targetId (a container instance) and targetType container-instance.");
            }
        }
        return [.. attributes.Select(a => a with { TargetType = TargetType })];
    }

    private async Task ChangeAsync(string cluster, string id, Func<IReadOnlyList<EcsAttribute>, List<EcsAttribute>> change, CancellationToken ct)
    {
        var key = Kinds.InCluster(cluster, id);
        if (await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, key, ct).ConfigureAwait(false) is not { Value.Status: not "INACTIVE" })
        {
            throw EcsErrors.InvalidParameter($"Container instance '{id}' not found in cluster '{cluster}'.");
        }
        await documents.UpdateAsync<ContainerInstance>(Kinds.ContainerInstance, key,
            current => current! with { Attributes = change(current.Attributes ?? []), Version = current.Version + 1 }, ct).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-_/.]{1,128}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9\-_.@/: ]{1,128}\z")]
    private static partial Regex ValuePattern();
}
