using System.Globalization;
using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>
/// GetOperation and ListOperations over the operations the asynchronous calls recorded (all SUCCESS: Gantry completes
/// them in the call). ListOperations filters: NAMESPACE_ID and SERVICE_ID (EQ), STATUS and TYPE (EQ or IN),
/// UPDATE_DATE (BETWEEN two dates, epoch seconds or ISO 8601); all must match.
/// </summary>
public sealed class OperationOperations(Documents documents)
{
    public async Task<GetOperationResponse> GetAsync(GetOperationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = DiscoveryInput.AtMost(DiscoveryInput.Required(request.OperationId, "OperationId"), "OperationId", 255)!;
        var found = await documents.GetAsync<DiscoveryOperationRecord>(DiscoveryKinds.Operation, id, ct).ConfigureAwait(false)
            ?? throw DiscoveryErrors.OperationNotFound(id);
        return new GetOperationResponse { Operation = found.Value.Operation };
    }

    public async Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = (request.Filters ?? []).Select(Match).ToList();
        var (items, next) = await documents.PageAsync<DiscoveryOperationRecord>(DiscoveryKinds.Operation, null, DiscoveryInput.After(request.NextToken),
            DiscoveryInput.Limit(request.MaxResults), descending: false, o => filters.All(f => f(o)), ct).ConfigureAwait(false);
        return new ListOperationsResponse
        {
            Operations = items.Select(o => new OperationSummary { Id = o.Id, Status = o.Operation.Status }).ToList(),
            NextToken = DiscoveryInput.Next(next),
        };
    }

    private static Func<DiscoveryOperationRecord, bool> Match(OperationFilter filter)
    {
        var name = DiscoveryInput.OneOf(filter.Name, "Filters.Name", OperationFilterNameValues.All);
        var values = DiscoveryInput.Required(filter.Values, "Filters.Values");
        var condition = filter.Condition ?? (name == OperationFilterNameValues.UPDATE_DATE ? FilterConditionValues.BETWEEN : FilterConditionValues.EQ);
        IReadOnlyList<string> allowed = name switch
        {
            OperationFilterNameValues.NAMESPACE_ID or OperationFilterNameValues.SERVICE_ID => [FilterConditionValues.EQ],
            OperationFilterNameValues.UPDATE_DATE => [FilterConditionValues.BETWEEN],
            _ => [FilterConditionValues.EQ, FilterConditionValues.IN],
        };
        if (!allowed.Contains(condition))
        {
            throw DiscoveryErrors.InvalidInput($"Filters.Condition {condition} is not supported for {name}: use {string.Join(" or ", allowed)}.");
        }
        var expected = condition switch { FilterConditionValues.EQ => 1, FilterConditionValues.BETWEEN => 2, _ => values.Count };
        if (values.Count == 0 || values.Count != expected)
        {
            throw DiscoveryErrors.InvalidInput($"Filters.Values of {name} with {condition} must hold {(condition == FilterConditionValues.IN ? "at least one value" : $"{expected} value(s)")}.");
        }
        var set = values.ToHashSet(StringComparer.Ordinal);
        return name switch
        {
            OperationFilterNameValues.NAMESPACE_ID => o => o.NamespaceId is { } id && set.Contains(id),
            OperationFilterNameValues.SERVICE_ID => o => o.ServiceId is { } id && set.Contains(id),
            OperationFilterNameValues.STATUS => o => set.Contains(o.Operation.Status!),
            OperationFilterNameValues.TYPE => o => set.Contains(o.Operation.Type!),
            _ => Between(Date(values[0]), Date(values[1])),
        };
    }

    private static Func<DiscoveryOperationRecord, bool> Between(DateTimeOffset from, DateTimeOffset to) =>
        o => o.Operation.UpdateDate is { } updated && updated >= from && updated <= to;

    private static DateTimeOffset Date(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
            : throw DiscoveryErrors.InvalidInput($"Filters.Values of UPDATE_DATE must be dates (epoch seconds or ISO 8601), got '{value}'.");
}
