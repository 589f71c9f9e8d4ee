using Gantry.Domain.Ssm;
using Gantry.Secrets.Parameters;

namespace Gantry.Api.Ssm;

/// <summary>GetParametersByPath (1–10 a page) and DescribeParameters (1–50 a page), in name order.</summary>
public sealed class ParameterQueries(ParameterStore store, ParameterOperations parameters)
{
    public async Task<GetParametersByPathResult> ByPathAsync(GetParametersByPathRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path is { Length: >= 1 } p && p.StartsWith('/') ? p
            : throw ParameterErrors.Validation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        var filter = ParameterFilters.Of(request.ParameterFilters, byPath: true);
        var (items, next) = await store.ByPathAsync(path, request.Recursive == true, filter, SsmInput.PageSize(request.MaxResults, 10), request.NextToken, ct)
            .ConfigureAwait(false);
        return new GetParametersByPathResult
        {
            Parameters = [.. items.Select(r => parameters.Wire(store.View(r, r.Current, null, request.WithDecryption == true)))],
            NextToken = next,
        };
    }

    public async Task<DescribeParametersResult> DescribeAsync(DescribeParametersRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Filters is not null && request.ParameterFilters is not null)
        {
            throw ParameterErrors.Validation("You can use either Filters or ParameterFilters in a single request, but not both.");
        }
        if (request.Shared == true)
        {
            throw ParameterErrors.Validation("Gantry does not share parameters between accounts: Shared is not supported.");
        }
        var filter = request.Filters is not null ? ParameterFilters.OfLegacy(request.Filters) : ParameterFilters.Of(request.ParameterFilters, byPath: false);
        var (items, next) = await store.PageAsync(null, filter, SsmInput.PageSize(request.MaxResults, 50), request.NextToken, ct).ConfigureAwait(false);
        return new DescribeParametersResult
        {
            Parameters = [.. items.Select(r => new ParameterMetadata
            {
                Name = r.Name,
                ARN = store.Names.Arn(r.Name),
                Type = r.Current.Type,
                KeyId = r.Current.KeyId,
                LastModifiedDate = r.Current.LastModifiedDate,
                LastModifiedUser = r.Current.LastModifiedUser,
                Description = r.Current.Description,
                AllowedPattern = r.Current.AllowedPattern,
                Version = r.Current.Version,
                Tier = r.Current.Tier,
                Policies = [],
                DataType = r.Current.DataType,
            })],
            NextToken = next,
        };
    }
}
