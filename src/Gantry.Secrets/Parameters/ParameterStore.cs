using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gantry.Domain.Ssm;
using Gantry.Secrets.SecretsManager;
using Gantry.Store;

namespace Gantry.Secrets.Parameters;

/// <summary>
/// Parameter Store's parameters in the state store: one document per parameter with its last
/// <see cref="MaxVersions"/> versions, changed by read-modify-write against the version read. SecureString values are
/// sealed before they are stored and opened only for a caller that asks (WithDecryption).
/// </summary>
public sealed class ParameterStore(Documents documents, Sealer sealer, ParameterNames names, TimeProvider time)
{
    public const int MaxVersions = 100;
    public const int MaxLabelsPerVersion = 10;
    public const int MaxTags = 50;
    private const int StandardBytes = 4096, AdvancedBytes = 8192, MaxAttempts = 8;

    public ParameterNames Names => names;

    /// <summary>PutParameter: a new parameter, or with <see cref="ParameterPut.Overwrite"/> a new version of one; returns that version.</summary>
    public async Task<ParameterVersion> PutAsync(ParameterPut put, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(put);
        names.Check(put.Name);
        if (put.Overwrite && put.Tags is { Count: > 0 })
        {
            throw ParameterErrors.Validation(
                "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }
        CheckTags(put.Tags ?? []);
        for (var attempt = 1; ; attempt++)
        {
            var found = await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, put.Name, ct).ConfigureAwait(false);
            if (found is not null && !put.Overwrite)
            {
                throw ParameterErrors.AlreadyExists();
            }
            var version = NextVersion(found?.Value, put);
            var record = found is null
                ? new ParameterRecord { Name = put.Name, Versions = [version], Tags = put.Tags ?? [] }
                : found.Value with { Versions = Trim(found.Value, [.. found.Value.Versions, version]) };
            try
            {
                await documents.Store.CommitAsync([documents.Put(SecretsKinds.Parameter, put.Name, record, found?.Version ?? WriteOp.MustNotExist)], ct)
                    .ConfigureAwait(false);
                return version;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: read again (a parameter created meanwhile is then ParameterAlreadyExists).
            }
        }
    }

    private ParameterVersion NextVersion(ParameterRecord? existing, ParameterPut put)
    {
        if (string.IsNullOrEmpty(put.Value))
        {
            throw ParameterErrors.Validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
        }
        var previous = existing?.Current;
        var type = put.Type ?? previous?.Type ?? throw ParameterErrors.Validation("A parameter type is required when you create a parameter.");
        if (type is not (ParameterTypeValues.String or ParameterTypeValues.StringList or ParameterTypeValues.SecureString))
        {
            throw ParameterErrors.UnsupportedType(type);
        }
        var keyId = put.KeyId;
        if (keyId is not null && (type != ParameterTypeValues.SecureString || !(keyId == ParameterTypes.DefaultKeyId || keyId.EndsWith(":" + ParameterTypes.DefaultKeyId, StringComparison.Ordinal))))
        {
            throw ParameterErrors.InvalidKeyId();
        }
        var dataType = put.DataType ?? ParameterTypes.Text;
        if (dataType != ParameterTypes.Text)
        {
            throw ParameterErrors.Validation($"The following data type is not supported: {dataType} (Gantry supports text).");
        }
        var pattern = put.AllowedPattern ?? (put.Overwrite ? previous?.AllowedPattern : null);
        if (pattern is not null && !Matches(pattern, put.Value))
        {
            throw ParameterErrors.PatternMismatch(pattern);
        }
        var tier = Tier(put.Tier, previous?.Tier, Encoding.UTF8.GetByteCount(put.Value));
        var number = (previous?.Version ?? 0) + 1;
        var value = type == ParameterTypeValues.SecureString ? sealer.SealParameter(put.Name, number, put.Value) : put.Value;
        return new ParameterVersion(number, type, value, put.Description ?? previous?.Description, pattern,
            type == ParameterTypeValues.SecureString ? keyId ?? ParameterTypes.DefaultKeyId : null, tier, dataType, [], time.GetUtcNow(), put.User);
    }

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw ParameterErrors.InvalidAllowedPattern($"The allowed pattern is not a valid regular expression: {e.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            throw ParameterErrors.InvalidAllowedPattern("The allowed pattern takes too long to evaluate.");
        }
    }

    private static string Tier(string? asked, string? previous, int bytes)
    {
        var tier = asked switch
        {
            null => previous ?? ParameterTierValues.Standard,
            ParameterTierValues.Intelligent_Tiering => previous == ParameterTierValues.Advanced || bytes > StandardBytes ? ParameterTierValues.Advanced : ParameterTierValues.Standard,
            ParameterTierValues.Standard or ParameterTierValues.Advanced => asked,
            _ => throw ParameterErrors.Validation($"Tier {asked} is not one of Standard, Advanced, Intelligent-Tiering."),
        };
        if (tier == ParameterTierValues.Standard && previous == ParameterTierValues.Advanced)
        {
            throw ParameterErrors.Validation(
                "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");
        }
        if (tier == ParameterTierValues.Standard && bytes > StandardBytes)
        {
            throw ParameterErrors.Validation(
                "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
        }
        return bytes <= AdvancedBytes ? tier : throw ParameterErrors.Validation("Advanced tier parameters support a maximum parameter value of 8192 characters.");
    }

    /// <summary>The kept versions once one more is added: the oldest goes past <see cref="MaxVersions"/>, unless it is labelled.</summary>
    private static List<ParameterVersion> Trim(ParameterRecord record, List<ParameterVersion> versions)
    {
        if (versions.Count <= MaxVersions)
        {
            return versions;
        }
        return versions[0].Labels.Count == 0 ? versions[1..] : throw ParameterErrors.MaxVersions(record.Name, versions[0].Version);
    }

    /// <summary>The parameter a reference (name, ARN, with an optional :version or :label selector) names, or null.</summary>
    public async Task<(Versioned<ParameterRecord>? Record, string Name, string? Selector)> FindAsync(string reference, CancellationToken ct)
    {
        var (name, selector) = names.Parse(reference);
        var found = await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, name, ct).ConfigureAwait(false);
        if (found is null && reference.StartsWith(names.Prefix, StringComparison.Ordinal) && !name.StartsWith('/'))
        {
            found = await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, "/" + name, ct).ConfigureAwait(false); // "/x" has the ARN of "x"
        }
        return (found, found?.Value.Name ?? name, selector);
    }

    /// <summary>GetParameter: the current version, or the one a selector names.</summary>
    public async Task<ParameterView> GetAsync(string? reference, bool withDecryption, CancellationToken ct)
    {
        var (found, name, selector) = await FindAsync(reference ?? "", ct).ConfigureAwait(false);
        var record = found?.Value ?? throw ParameterErrors.NotFound(name);
        return View(record, Select(record, name, selector), selector, withDecryption);
    }

    /// <summary>GetParameters: the ones found and the references that named nothing (never an error).</summary>
    public async Task<(IReadOnlyList<ParameterView> Found, IReadOnlyList<string> Invalid)> GetManyAsync(IReadOnlyList<string> references, bool withDecryption,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(references);
        var views = new List<ParameterView>();
        var invalid = new List<string>();
        foreach (var reference in references.Distinct(StringComparer.Ordinal))
        {
            try
            {
                views.Add(await GetAsync(reference, withDecryption, ct).ConfigureAwait(false));
            }
            catch (Domain.Errors.AwsException e) when (e.Type is "ParameterNotFound" or "ParameterVersionNotFound")
            {
                invalid.Add(reference);
            }
        }
        return (views, invalid);
    }

    private static ParameterVersion Select(ParameterRecord record, string name, string? selector)
    {
        if (selector is null)
        {
            return record.Current;
        }
        var text = selector[1..];
        return (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? record.Version(number) : record.Labelled(text))
            ?? throw ParameterErrors.VersionNotFound(name, text);
    }

    public ParameterView View(ParameterRecord record, ParameterVersion version, string? selector, bool withDecryption)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(version);
        var value = version.Secure && withDecryption ? sealer.OpenParameter(record.Name, version.Version, version.Value) : version.Value;
        return new ParameterView(record.Name, version, value, selector);
    }

    /// <summary>One page of parameters under a path (<c>/</c>-terminated prefix), one level deep unless <paramref name="recursive"/>.</summary>
    public Task<(IReadOnlyList<ParameterRecord> Items, string? NextToken)> ByPathAsync(string path, bool recursive, Func<ParameterRecord, bool> filter,
        int maxResults, string? nextToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = path.EndsWith('/') ? path : path + "/";
        return PageAsync(prefix, p => ParameterNames.UnderPath(p.Name, prefix, recursive) && filter(p), maxResults, nextToken, ct);
    }

    /// <summary>One page of parameters in name order that pass <paramref name="filter"/>.</summary>
    public async Task<(IReadOnlyList<ParameterRecord> Items, string? NextToken)> PageAsync(string? prefix, Func<ParameterRecord, bool> filter, int maxResults,
        string? nextToken, CancellationToken ct)
    {
        var cursor = PageTokens.Read(nextToken) ?? (nextToken is null ? null : throw ParameterErrors.InvalidNextToken());
        var (items, next) = await documents.PageAsync(SecretsKinds.Parameter, prefix, cursor, maxResults, descending: false, filter, ct).ConfigureAwait(false);
        return (items, next is null ? null : PageTokens.Write(next));
    }

    public async Task DeleteAsync(string? name, CancellationToken ct)
    {
        if (!await TryDeleteAsync(name ?? "", ct).ConfigureAwait(false))
        {
            throw ParameterErrors.NotFound(name ?? "");
        }
    }

    /// <summary>DeleteParameters: the names deleted and those that named nothing.</summary>
    public async Task<(IReadOnlyList<string> Deleted, IReadOnlyList<string> Invalid)> DeleteManyAsync(IReadOnlyList<string> namesToDelete, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(namesToDelete);
        var deleted = new List<string>();
        var invalid = new List<string>();
        foreach (var name in namesToDelete.Distinct(StringComparer.Ordinal))
        {
            (await TryDeleteAsync(name, ct).ConfigureAwait(false) ? deleted : invalid).Add(name);
        }
        return (deleted, invalid);
    }

    private async Task<bool> TryDeleteAsync(string name, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, name, ct).ConfigureAwait(false);
            if (found is null)
            {
                return false;
            }
            try
            {
                await documents.Store.CommitAsync([new DeleteOp(SecretsKinds.Parameter, name, found.Version)], ct).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile: delete what is there now.
            }
        }
    }

    /// <summary>LabelParameterVersion: moves valid labels onto the version (the current one by default); returns the invalid ones and the version.</summary>
    public async Task<(IReadOnlyList<string> Invalid, long Version)> LabelAsync(string? name, long? version, IReadOnlyList<string> labels, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var invalid = labels.Where(l => !ParameterNames.ValidLabel(l)).Distinct(StringComparer.Ordinal).ToList();
        var valid = labels.Where(ParameterNames.ValidLabel).Distinct(StringComparer.Ordinal).ToList();
        long labelled = 0;
        await ChangeAsync(name, record =>
        {
            var target = version is { } v ? record.Version(v) ?? throw ParameterErrors.VersionNotFound(record.Name, v.ToString(CultureInfo.InvariantCulture)) : record.Current;
            labelled = target.Version;
            var onTarget = target.Labels.Union(valid, StringComparer.Ordinal).ToList();
            if (onTarget.Count > MaxLabelsPerVersion)
            {
                throw ParameterErrors.LabelLimit();
            }
            return record with
            {
                Versions = [.. record.Versions.Select(x => x.Version == target.Version ? x with { Labels = onTarget } : x with { Labels = [.. x.Labels.Except(valid, StringComparer.Ordinal)] })],
            };
        }, ct).ConfigureAwait(false);
        return (invalid, labelled);
    }

    /// <summary>UnlabelParameterVersion: the labels removed from the version and those it did not carry.</summary>
    public async Task<(IReadOnlyList<string> Removed, IReadOnlyList<string> Invalid)> UnlabelAsync(string? name, long version, IReadOnlyList<string> labels,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(labels);
        IReadOnlyList<string> removed = [];
        await ChangeAsync(name, record =>
        {
            var target = record.Version(version) ?? throw ParameterErrors.VersionNotFound(record.Name, version.ToString(CultureInfo.InvariantCulture));
            removed = [.. labels.Where(l => target.Labels.Contains(l, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
            var kept = target.Labels.Except(removed, StringComparer.Ordinal).ToList();
            return record with { Versions = [.. record.Versions.Select(x => x.Version == version ? x with { Labels = kept } : x)] };
        }, ct).ConfigureAwait(false);
        return (removed, [.. labels.Except(removed, StringComparer.Ordinal).Distinct(StringComparer.Ordinal)]);
    }

    public Task<ParameterRecord> TagAsync(string? name, IReadOnlyList<TagEntry> tags, CancellationToken ct)
    {
        CheckTags(tags);
        return ChangeAsync(name, r =>
        {
            var merged = r.Tags.Where(t => tags.All(a => a.Key != t.Key)).Concat(tags.DistinctBy(t => t.Key)).ToList();
            return merged.Count <= MaxTags ? r with { Tags = merged } : throw ParameterErrors.TooManyTags();
        }, ct);
    }

    public Task<ParameterRecord> UntagAsync(string? name, IReadOnlyList<string> keys, CancellationToken ct) =>
        ChangeAsync(name, r => r with { Tags = [.. r.Tags.Where(t => !keys.Contains(t.Key, StringComparer.Ordinal))] }, ct);

    public async Task<ParameterRecord> RequireAsync(string? name, CancellationToken ct) =>
        (await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, name ?? "", ct).ConfigureAwait(false))?.Value ?? throw ParameterErrors.NotFound(name ?? "");

    private static void CheckTags(IReadOnlyList<TagEntry> tags)
    {
        if (tags.Count > MaxTags || tags.Any(t => t.Key.Length is 0 or > 128 || t.Value.Length > 256))
        {
            throw ParameterErrors.Validation($"A parameter has at most {MaxTags} tags, each with a key of 1 to 128 characters and a value of up to 256.");
        }
    }

    private async Task<ParameterRecord> ChangeAsync(string? name, Func<ParameterRecord, ParameterRecord> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await documents.GetAsync<ParameterRecord>(SecretsKinds.Parameter, name ?? "", ct).ConfigureAwait(false)
                ?? throw ParameterErrors.NotFound(name ?? "");
            var changed = change(found.Value);
            try
            {
                await documents.Store.CommitAsync([documents.Put(SecretsKinds.Parameter, found.Value.Name, changed, found.Version)], ct).ConfigureAwait(false);
                return changed;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: read again and re-apply.
            }
        }
    }
}
