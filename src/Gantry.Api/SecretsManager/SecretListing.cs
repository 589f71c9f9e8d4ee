using Gantry.Domain.SecretsManager;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.SecretsManager;

/// <summary>
/// ListSecrets: secrets in name order (by creation date with SortOrder), a page at a time, through Filters (each a Key and up to 10 Values, prefix
/// matches, a leading <c>!</c> negating; values of one filter OR'd, filters AND'd); scheduled deletions only with
/// IncludePlannedDeletion.
/// </summary>
public sealed class SecretListing(SecretVault vault)
{
    public async Task<ListSecretsResponse> ListAsync(ListSecretsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SortOrder is not (null or SortOrderTypeValues.asc or SortOrderTypeValues.desc))
        {
            throw SecretErrors.Invalid("SortOrder must be asc or desc.");
        }
        var filters = (request.Filters ?? []).Select(f => Filter(f ?? throw SecretErrors.Invalid("Filters can't hold a null entry."))).ToList();
        var newestFirst = request.SortOrder is null ? (bool?)null : request.SortOrder == SortOrderTypeValues.desc;
        var (secrets, next) = await vault.ListAsync(s => filters.All(f => f(s)), request.IncludePlannedDeletion == true, newestFirst,
            SecretInput.PageSize(request.MaxResults), request.NextToken, ct).ConfigureAwait(false);
        return new ListSecretsResponse
        {
            SecretList = [.. secrets.Select(s => new SecretListEntry
            {
                ARN = s.Arn,
                Name = s.Name,
                Description = s.Description,
                KmsKeyId = s.KmsKeyId,
                RotationEnabled = false,
                LastChangedDate = s.LastChangedDate,
                LastAccessedDate = s.LastAccessedDate,
                DeletedDate = s.DeletedDate,
                Tags = SecretInput.Wire(s.Tags),
                SecretVersionsToStages = SecretInput.VersionIdsToStages(s),
                CreatedDate = s.CreatedDate,
            })],
            NextToken = next,
        };
    }

    private static Func<SecretRecord, bool> Filter(SecretFilter filter)
    {
        var values = SecretInput.Strings(filter.Values, "Values") ?? [];
        if (values.Count is 0 or > 10 || values.Any(v => v.Length is 0 or > 512))
        {
            throw SecretErrors.Invalid("A filter has 1 to 10 values of 1 to 512 characters.");
        }
        Func<SecretRecord, IEnumerable<string>> fields = filter.Key switch
        {
            FilterNameStringTypeValues.name => s => [s.Name],
            FilterNameStringTypeValues.description => s => s.Description is { } d ? [d] : [],
            FilterNameStringTypeValues.tag_key => s => s.Tags.Select(t => t.Key),
            FilterNameStringTypeValues.tag_value => s => s.Tags.Select(t => t.Value),
            FilterNameStringTypeValues.all => s => [s.Name, .. s.Description is { } d ? [d] : Array.Empty<string>(), .. s.Tags.Select(t => t.Key), .. s.Tags.Select(t => t.Value)],
            FilterNameStringTypeValues.primary_region or FilterNameStringTypeValues.owning_service => _ => [],
            _ => throw SecretErrors.Invalid($"Filter key {filter.Key} is not one of description, name, tag-key, tag-value, primary-region, owning-service, all."),
        };
        return s => values.Any(value => value.StartsWith('!')
            ? !fields(s).Any(f => f.StartsWith(value[1..], StringComparison.OrdinalIgnoreCase))
            : fields(s).Any(f => f.StartsWith(value, StringComparison.OrdinalIgnoreCase)));
    }
}
