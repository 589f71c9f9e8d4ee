using Gantry.Store;

namespace Gantry.Secrets.SecretsManager;

/// <summary>
/// Secrets Manager's secrets in the state store: one document per secret (<see cref="SecretsKinds.Secret"/>), changed by
/// read-modify-write against the version read. Values are sealed before they are stored and opened only for
/// GetSecretValue (and the resolver). A secret past its deletion window reads as missing until the sweep removes it.
/// </summary>
public sealed class SecretVault(Documents documents, Sealer sealer, SecretArns arns, TimeProvider time)
{
    public const string DefaultKmsKeyId = "alias/aws/secretsmanager";
    private const int MaxAttempts = 8;

    public SecretArns Arns => arns;

    public async Task<(SecretRecord Secret, string? VersionId)> CreateAsync(NewSecret request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecretArns.CheckName(request.Name);
        var kmsKeyId = CheckKmsKeyId(request.KmsKeyId);
        var token = CheckToken(request.ClientRequestToken);
        SecretTags.Check(request.Tags);
        var existing = await documents.GetAsync<SecretRecord>(SecretsKinds.Secret, request.Name, ct).ConfigureAwait(false);
        if (existing is not null && !Expired(existing.Value))
        {
            if (existing.Value.MarkedForDeletion)
            {
                throw SecretErrors.InvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
            }
            return SameCreate(existing.Value, request, token) ? (existing.Value, token) : throw SecretErrors.Exists(request.Name);
        }
        var now = time.GetUtcNow();
        var arn = arns.NewArn(request.Name);
        var secret = new SecretRecord
        {
            Name = request.Name,
            Arn = arn,
            Description = request.Description,
            KmsKeyId = kmsKeyId,
            Tags = request.Tags,
            CreatedDate = now,
            LastChangedDate = now,
        };
        if (request.Payload is { } payload)
        {
            secret = secret with { Versions = [Seal(arn, token, payload, [SecretStages.Current], now)] };
        }
        try
        {
            await documents.Store.CommitAsync([documents.Put(SecretsKinds.Secret, request.Name, secret, existing?.Version ?? WriteOp.MustNotExist)], ct)
                .ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw SecretErrors.Exists(request.Name);
        }
        return (secret, request.Payload is null ? null : token);
    }

    /// <summary>CreateSecret replayed with its ClientRequestToken and the same value answers the secret it made.</summary>
    private bool SameCreate(SecretRecord existing, NewSecret request, string token) =>
        existing.Versions.Count > 0 && existing.Versions[0].VersionId == token && request.Payload is { } payload
        && payload.SameAs(OpenString(existing, existing.Versions[0]), OpenBinary(existing, existing.Versions[0]));

    /// <summary>A secret by SecretId (name, full or partial ARN); refuses one marked for deletion unless <paramref name="allowDeleted"/>.</summary>
    public async Task<Versioned<SecretRecord>> FindAsync(string? secretId, bool allowDeleted, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secretId))
        {
            throw SecretErrors.Invalid("You must specify SecretId.");
        }
        foreach (var (name, arn) in arns.Candidates(secretId))
        {
            var found = await documents.GetAsync<SecretRecord>(SecretsKinds.Secret, name, ct).ConfigureAwait(false);
            if (found is null || (arn is not null && found.Value.Arn != arn) || Expired(found.Value))
            {
                continue;
            }
            if (found.Value.MarkedForDeletion && !allowDeleted)
            {
                throw SecretErrors.Deleted();
            }
            return found;
        }
        throw SecretErrors.NotFound();
    }

    /// <summary>The value of a version chosen by id and/or stage (AWSCURRENT when neither is given); the first read of a day
    /// records the day as LastAccessedDate (a read that meets a concurrent write leaves it to the next one).</summary>
    public async Task<SecretValue> GetValueAsync(string? secretId, string? versionId, string? versionStage, CancellationToken ct)
    {
        var found = await FindAsync(secretId, allowDeleted: false, ct).ConfigureAwait(false);
        var secret = found.Value;
        var version = Select(secret, versionId, versionStage);
        var value = new SecretValue(secret, version, OpenString(secret, version), OpenBinary(secret, version));
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        if (secret.LastAccessedDate != today)
        {
            try
            {
                await documents.Store.CommitAsync([documents.Put(SecretsKinds.Secret, secret.Name, secret with { LastAccessedDate = today }, found.Version)], ct)
                    .ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // Changed meanwhile: the value read stands, the next read records the day.
            }
        }
        return value;
    }

    private static SecretVersion Select(SecretRecord secret, string? versionId, string? versionStage)
    {
        var byId = versionId is null ? null : secret.Version(versionId) ?? throw SecretErrors.VersionNotFound("VersionId", versionId);
        var stage = versionStage ?? (versionId is null ? SecretStages.Current : null);
        if (stage is null)
        {
            return byId!;
        }
        var byStage = secret.VersionWith(stage) ?? throw SecretErrors.VersionNotFound("staging label", stage);
        if (byId is not null && byId.VersionId != byStage.VersionId)
        {
            throw SecretErrors.Invalid($"The staging label {stage} is not attached to version {versionId}.");
        }
        return byStage;
    }

    /// <summary>PutSecretValue: a new version (AWSCURRENT unless other stages are given); a replayed token with the same value changes nothing.</summary>
    public Task<(SecretRecord Secret, SecretVersion Version)> PutValueAsync(string? secretId, string? clientRequestToken, SecretPayload? payload,
        IReadOnlyList<string>? stages, CancellationToken ct)
    {
        var token = CheckToken(clientRequestToken);
        var value = payload ?? throw SecretErrors.Invalid("You must provide either SecretString or SecretBinary.");
        var labels = CheckStages(stages) ?? [SecretStages.Current];
        return AddVersionAsync(secretId, token, value, labels, secret => secret, ct);
    }

    /// <summary>UpdateSecret: description and key change in place; a value makes a new AWSCURRENT version.</summary>
    public async Task<(SecretRecord Secret, SecretVersion? Version)> UpdateAsync(string? secretId, string? description, string? kmsKeyId,
        string? clientRequestToken, SecretPayload? payload, CancellationToken ct)
    {
        var key = kmsKeyId is null ? null : CheckKmsKeyId(kmsKeyId);
        SecretRecord Describe(SecretRecord s) => s with { Description = description ?? s.Description, KmsKeyId = key ?? s.KmsKeyId };
        if (payload is not null)
        {
            var (secret, version) = await AddVersionAsync(secretId, CheckToken(clientRequestToken), payload, [SecretStages.Current], Describe, ct).ConfigureAwait(false);
            return (secret, version);
        }
        var updated = await ChangeAsync(secretId, s => Describe(s) with { LastChangedDate = time.GetUtcNow() }, ct).ConfigureAwait(false);
        return (updated, null);
    }

    private async Task<(SecretRecord, SecretVersion)> AddVersionAsync(string? secretId, string token, SecretPayload payload, IReadOnlyList<string> stages,
        Func<SecretRecord, SecretRecord> alsoChange, CancellationToken ct)
    {
        var secret = await ChangeAsync(secretId, s =>
        {
            if (s.Version(token) is { } existing)
            {
                return payload.SameAs(OpenString(s, existing), OpenBinary(s, existing)) ? null : throw SecretErrors.VersionExists();
            }
            var now = time.GetUtcNow();
            return alsoChange(s) with { Versions = SecretStages.Add(s.Versions, Seal(s.Arn, token, payload, stages, now)), LastChangedDate = now };
        }, ct).ConfigureAwait(false);
        return (secret, secret.Version(token)!);
    }

    public Task<SecretRecord> MoveStageAsync(string? secretId, string? stage, string? moveTo, string? removeFrom, CancellationToken ct)
    {
        var label = CheckStages(stage is null ? null : [stage])?[0] ?? throw SecretErrors.Invalid("You must specify VersionStage.");
        return ChangeAsync(secretId, s => s with { Versions = SecretStages.Move(s.Versions, label, moveTo, removeFrom), LastChangedDate = time.GetUtcNow() }, ct);
    }

    /// <summary>Schedules the deletion (7–30 days, 30 by default) or deletes at once with <paramref name="force"/>.</summary>
    public async Task<SecretRecord> DeleteAsync(string? secretId, long? recoveryWindowInDays, bool force, CancellationToken ct)
    {
        if (force && recoveryWindowInDays is not null)
        {
            throw SecretErrors.Invalid("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (recoveryWindowInDays is < 7 or > 30)
        {
            throw SecretErrors.Invalid("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        if (!force)
        {
            return await ChangeAsync(secretId, s =>
            {
                var now = time.GetUtcNow();
                return s with { DeletedDate = now, DeletionDate = now.AddDays(recoveryWindowInDays ?? 30) };
            }, ct).ConfigureAwait(false);
        }
        for (var attempt = 1; ; attempt++)
        {
            var found = await FindAsync(secretId, allowDeleted: true, ct).ConfigureAwait(false);
            try
            {
                await documents.Store.CommitAsync([new DeleteOp(SecretsKinds.Secret, found.Value.Name, found.Version)], ct).ConfigureAwait(false);
                var now = time.GetUtcNow();
                return found.Value with { DeletedDate = now, DeletionDate = now };
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile: read it again.
            }
        }
    }

    public Task<SecretRecord> RestoreAsync(string? secretId, CancellationToken ct) =>
        ChangeAsync(secretId, s => s.MarkedForDeletion ? s with { DeletedDate = null, DeletionDate = null } : null, ct, allowDeleted: true);

    public Task<SecretRecord> PutPolicyAsync(string? secretId, string? policy, CancellationToken ct)
    {
        var text = policy ?? throw SecretErrors.Invalid("You must specify ResourcePolicy.");
        if (SecretPolicies.Problem(text) is { } problem)
        {
            throw SecretErrors.MalformedPolicy(problem);
        }
        return ChangeAsync(secretId, s => s.ResourcePolicy == text ? null : s with { ResourcePolicy = text }, ct);
    }

    public Task<SecretRecord> DeletePolicyAsync(string? secretId, CancellationToken ct) =>
        ChangeAsync(secretId, s => s.ResourcePolicy is null ? null : s with { ResourcePolicy = null }, ct);

    public Task<SecretRecord> TagAsync(string? secretId, IReadOnlyList<TagEntry> tags, CancellationToken ct)
    {
        SecretTags.Check(tags);
        return ChangeAsync(secretId, s => s with { Tags = SecretTags.Merge(s.Tags, tags) }, ct);
    }

    public Task<SecretRecord> UntagAsync(string? secretId, IReadOnlyList<string> keys, CancellationToken ct) =>
        ChangeAsync(secretId, s => s with { Tags = [.. s.Tags.Where(t => !keys.Contains(t.Key, StringComparer.Ordinal))] }, ct);

    /// <summary>
    /// One page of secrets that pass <paramref name="filter"/>, those scheduled for deletion only when asked: in name order,
    /// or by creation date when <paramref name="newestFirst"/> is given (then the token is an offset into that order).
    /// </summary>
    public async Task<(IReadOnlyList<SecretRecord> Secrets, string? NextToken)> ListAsync(Func<SecretRecord, bool> filter, bool includePlannedDeletion,
        bool? newestFirst, int maxResults, string? nextToken, CancellationToken ct)
    {
        bool Listed(SecretRecord s) => !Expired(s) && (includePlannedDeletion || !s.MarkedForDeletion) && filter(s);
        if (newestFirst is { } descending)
        {
            var all = (await documents.ListAllAsync<SecretRecord>(SecretsKinds.Secret, null, ct).ConfigureAwait(false)).Select(v => v.Value).Where(Listed);
            var ordered = (descending ? all.OrderByDescending(s => s.CreatedDate) : all.OrderBy(s => s.CreatedDate)).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
            var start = PageTokens.ReadOffset(nextToken, ordered.Count) ?? throw SecretErrors.InvalidNextToken();
            return (ordered.Skip(start).Take(maxResults).ToList(), start + maxResults < ordered.Count ? PageTokens.WriteOffset(start + maxResults) : null);
        }
        var cursor = PageTokens.Read(nextToken) ?? (nextToken is null ? null : throw SecretErrors.InvalidNextToken());
        var (items, next) = await documents.PageAsync<SecretRecord>(SecretsKinds.Secret, null, cursor, maxResults, descending: false, Listed, ct)
            .ConfigureAwait(false);
        return (items, next is null ? null : PageTokens.Write(next));
    }

    /// <summary>Removes every secret whose recovery window has ended; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var swept = 0;
        await foreach (var secret in documents.EnumerateAsync<SecretRecord>(SecretsKinds.Secret, null, null, ct).ConfigureAwait(false))
        {
            if (!Expired(secret.Value))
            {
                continue;
            }
            try
            {
                await documents.Store.CommitAsync([new DeleteOp(SecretsKinds.Secret, secret.Value.Name, secret.Version)], ct).ConfigureAwait(false);
                swept++;
            }
            catch (ConcurrencyConflictException)
            {
                // Restored or deleted meanwhile: the next pass looks again.
            }
        }
        return swept;
    }

    public bool Expired(SecretRecord secret) => secret.DeletionDate is { } at && at <= time.GetUtcNow();

    /// <summary>Applies <paramref name="change"/> (null: nothing to change) to the secret and commits it against the version read.</summary>
    private async Task<SecretRecord> ChangeAsync(string? secretId, Func<SecretRecord, SecretRecord?> change, CancellationToken ct, bool allowDeleted = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await FindAsync(secretId, allowDeleted, ct).ConfigureAwait(false);
            if (change(found.Value) is not { } changed)
            {
                return found.Value;
            }
            try
            {
                await documents.Store.CommitAsync([documents.Put(SecretsKinds.Secret, changed.Name, changed, found.Version)], ct).ConfigureAwait(false);
                return changed;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: read again and re-apply.
            }
        }
    }

    private SecretVersion Seal(string arn, string versionId, SecretPayload payload, IReadOnlyList<string> stages, DateTimeOffset now) =>
        new(versionId,
            payload.SecretString is { } text ? sealer.SealSecret(arn, versionId, text) : null,
            payload.SecretBinary is { } bytes ? sealer.SealSecret(arn, versionId, Convert.ToBase64String(bytes)) : null,
            stages, now);

    private string? OpenString(SecretRecord secret, SecretVersion version) =>
        version.SealedString is { } sealedText ? sealer.OpenSecret(secret.Arn, version.VersionId, sealedText) : null;

    private byte[]? OpenBinary(SecretRecord secret, SecretVersion version) =>
        version.SealedBinary is { } sealedText ? Convert.FromBase64String(sealer.OpenSecret(secret.Arn, version.VersionId, sealedText)) : null;

    private static string? CheckKmsKeyId(string? kmsKeyId) =>
        kmsKeyId is null || kmsKeyId == DefaultKmsKeyId || kmsKeyId.EndsWith(":" + DefaultKmsKeyId, StringComparison.Ordinal)
            ? kmsKeyId
            : throw SecretErrors.Invalid($"Gantry seals secrets with its master key: KmsKeyId must be {DefaultKmsKeyId} or left out.");

    private static string CheckToken(string? token) =>
        token is null ? Guid.NewGuid().ToString()
        : token.Length is >= 32 and <= 64 ? token
        : throw SecretErrors.Invalid("ClientRequestToken must be 32 to 64 characters long.");

    private static List<string>? CheckStages(IReadOnlyList<string>? stages)
    {
        if (stages is null)
        {
            return null;
        }
        if (stages.Count is 0 or > SecretStages.MaxStagesPerVersion || stages.Any(s => s.Length is 0 or > 256))
        {
            throw SecretErrors.Invalid($"A version has 1 to {SecretStages.MaxStagesPerVersion} staging labels of 1 to 256 characters.");
        }
        return stages.Distinct(StringComparer.Ordinal).ToList();
    }
}
