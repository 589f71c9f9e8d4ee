using Gantry.Domain.Arns;
using Gantry.Domain.Ssm;
using Gantry.Secrets;
using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.Ssm;

/// <summary>PutParameter, GetParameter(s), DeleteParameter(s), GetParameterHistory and Label/UnlabelParameterVersion.</summary>
public sealed class ParameterOperations(ParameterStore store, AwsAccount account)
{
    public const int MaxDescription = 1024;

    public async Task<PutParameterResult> PutAsync(PutParameterRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Policies is not null)
        {
            throw ParameterErrors.Validation("Gantry does not apply parameter policies: Policies is not supported.");
        }
        if (request.Description is { Length: > MaxDescription })
        {
            throw ParameterErrors.Validation($"Description can't be longer than {MaxDescription} characters.");
        }
        var tags = request.Tags?.Select(t => new TagEntry(t?.Key ?? "", t?.Value ?? "")).ToList();
        var version = await store.PutAsync(new ParameterPut(request.Name ?? "", request.Value ?? "", request.Type, request.Description, request.KeyId,
            request.Overwrite == true, request.AllowedPattern, tags, request.Tier, request.DataType, account.Root), ct).ConfigureAwait(false);
        return new PutParameterResult { Version = version.Version, Tier = version.Tier };
    }

    public async Task<GetParameterResult> GetAsync(GetParameterRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GetParameterResult { Parameter = Wire(await store.GetAsync(request.Name, request.WithDecryption == true, ct).ConfigureAwait(false)) };
    }

    public async Task<GetParametersResult> GetManyAsync(GetParametersRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = SsmInput.Names(request.Names);
        var (found, invalid) = await store.GetManyAsync(names, request.WithDecryption == true, ct).ConfigureAwait(false);
        return new GetParametersResult { Parameters = [.. found.Select(Wire)], InvalidParameters = invalid };
    }

    public async Task<DeleteParameterResult> DeleteAsync(DeleteParameterRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.DeleteAsync(request.Name, ct).ConfigureAwait(false);
        return new DeleteParameterResult();
    }

    public async Task<DeleteParametersResult> DeleteManyAsync(DeleteParametersRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = SsmInput.Names(request.Names);
        var (deleted, invalid) = await store.DeleteManyAsync(names, ct).ConfigureAwait(false);
        return new DeleteParametersResult { DeletedParameters = deleted, InvalidParameters = invalid };
    }

    /// <summary>Every kept version, oldest first, a page at a time (1–50, default 50); SecureString values opened only WithDecryption.</summary>
    public async Task<GetParameterHistoryResult> HistoryAsync(GetParameterHistoryRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = SsmInput.PageSize(request.MaxResults, 50);
        var (found, name, _) = await store.FindAsync(request.Name ?? "", ct).ConfigureAwait(false);
        var record = found?.Value ?? throw ParameterErrors.NotFound(name);
        var start = SsmInput.Offset(request.NextToken, record.Versions.Count);
        var page = record.Versions.Skip(start).Take(max).Select(v =>
        {
            var view = store.View(record, v, null, request.WithDecryption == true);
            return new ParameterHistory
            {
                Name = name,
                Type = v.Type,
                KeyId = v.KeyId,
                LastModifiedDate = v.LastModifiedDate,
                LastModifiedUser = v.LastModifiedUser,
                Description = v.Description,
                Value = view.Value,
                AllowedPattern = v.AllowedPattern,
                Version = v.Version,
                Labels = v.Labels,
                Tier = v.Tier,
                Policies = [],
                DataType = v.DataType,
            };
        }).ToList();
        return new GetParameterHistoryResult { Parameters = page, NextToken = start + max < record.Versions.Count ? PageTokens.WriteOffset(start + max) : null };
    }

    public async Task<LabelParameterVersionResult> LabelAsync(LabelParameterVersionRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (invalid, version) = await store.LabelAsync(request.Name, request.ParameterVersion, SsmInput.Labels(request.Labels), ct).ConfigureAwait(false);
        return new LabelParameterVersionResult { InvalidLabels = invalid, ParameterVersion = version };
    }

    public async Task<UnlabelParameterVersionResult> UnlabelAsync(UnlabelParameterVersionRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = request.ParameterVersion ?? throw ParameterErrors.Validation("ParameterVersion is required.");
        var (removed, invalid) = await store.UnlabelAsync(request.Name, version, SsmInput.Labels(request.Labels), ct).ConfigureAwait(false);
        return new UnlabelParameterVersionResult { RemovedLabels = removed, InvalidLabels = invalid };
    }

    public SsmParameter Wire(ParameterView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new SsmParameter
        {
            Name = view.Name,
            Type = view.Version.Type,
            Value = view.Value,
            Version = view.Version.Version,
            Selector = view.Selector,
            LastModifiedDate = view.Version.LastModifiedDate,
            ARN = store.Names.Arn(view.Name),
            DataType = view.Version.DataType,
        };
    }
}
