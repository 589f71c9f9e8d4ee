using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>ListTaskDefinitions and ListTaskDefinitionFamilies.</summary>
public sealed partial class TaskDefinitionListing(Documents documents)
{
    public async Task<ListTaskDefinitionsResponse> ListAsync(ListTaskDefinitionsRequest request, CancellationToken ct)
    {
        var status = request.Status ?? TaskDefinitionStatusValues.ACTIVE;
        if (!TaskDefinitionStatusValues.All.Contains(status))
        {
            throw EcsErrors.InvalidParameter($"Invalid status '{status}'. Valid values: {string.Join(", ", TaskDefinitionStatusValues.All)}.");
        }
        var descending = request.Sort switch
        {
            null or "ASC" => false,
            "DESC" => true,
            _ => throw EcsErrors.InvalidParameter($"Invalid sort '{request.Sort}'. Valid values: ASC, DESC."),
        };
        var prefix = request.FamilyPrefix is null ? null : Kinds.TaskDefinitionFamilyPrefix(Family(request.FamilyPrefix, "familyPrefix"));
        var (records, next) = await documents.PageAsync<TaskDefinitionRecord>(
            Kinds.TaskDefinition, prefix, PageToken.Decode(request.NextToken), PageToken.Limit(request.MaxResults), descending,
            r => r.Definition.Status == status, ct).ConfigureAwait(false);
        return new ListTaskDefinitionsResponse
        {
            TaskDefinitionArns = records.Select(r => r.Definition.TaskDefinitionArn!).ToList(),
            NextToken = next is null ? null : PageToken.Encode(next),
        };
    }

    public async Task<ListTaskDefinitionFamiliesResponse> ListFamiliesAsync(ListTaskDefinitionFamiliesRequest request, CancellationToken ct)
    {
        Func<TaskDefinitionFamilyRecord, bool> filter = request.Status switch
        {
            null or "ALL" => _ => true,
            "ACTIVE" => f => f.LatestActiveRevision > 0,
            "INACTIVE" => f => f.LatestActiveRevision == 0,
            _ => throw EcsErrors.InvalidParameter($"Invalid status '{request.Status}'. Valid values: ACTIVE, INACTIVE, ALL."),
        };
        var prefix = request.FamilyPrefix is null ? null : Family(request.FamilyPrefix, "familyPrefix");
        var (families, next) = await documents.PageAsync(
            Kinds.TaskDefinitionFamily, prefix, PageToken.Decode(request.NextToken), PageToken.Limit(request.MaxResults), descending: false,
            filter, ct).ConfigureAwait(false);
        return new ListTaskDefinitionFamiliesResponse
        {
            Families = families.Select(f => f.Family).ToList(),
            NextToken = next is null ? null : PageToken.Encode(next),
        };
    }

    private static string Family(string value, string field) =>
        FamilyPattern().IsMatch(value) ? value : throw EcsErrors.InvalidParameter($"{field} must be up to 255 letters, numbers, underscores and hyphens.");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex FamilyPattern();
}
