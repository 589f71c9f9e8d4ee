namespace Gantry.Secrets.SecretsManager;

/// <summary>
/// Staging labels and how they move (pure). A label lives on at most one version. When <see cref="Current"/> moves to
/// another version, the version that held it gets <see cref="Previous"/>. Versions left without a label are deprecated
/// and the oldest of them go once more than <see cref="MaxVersions"/> are kept.
/// </summary>
public static class SecretStages
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";
    public const int MaxVersions = 100;
    public const int MaxStagesPerVersion = 20;

    /// <summary>The versions with <paramref name="added"/> appended, its labels taken off every other version.</summary>
    public static IReadOnlyList<SecretVersion> Add(IReadOnlyList<SecretVersion> versions, SecretVersion added)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(added);
        var result = versions.ToList();
        result.Add(added with { Stages = [] });
        foreach (var stage in added.Stages)
        {
            result = Attach(result, stage, added.VersionId);
        }
        return Prune(result);
    }

    /// <summary>
    /// UpdateSecretVersionStage: moves <paramref name="stage"/> to <paramref name="moveTo"/> and/or off
    /// <paramref name="removeFrom"/>, with AWS's rules: a label attached elsewhere must be named in RemoveFromVersionId,
    /// RemoveFromVersionId must hold the label, and AWSCURRENT can only be moved, never just removed.
    /// </summary>
    public static IReadOnlyList<SecretVersion> Move(IReadOnlyList<SecretVersion> versions, string stage, string? moveTo, string? removeFrom)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(stage);
        var holder = versions.FirstOrDefault(v => v.Stages.Contains(stage, StringComparer.Ordinal));
        if (moveTo is not null && versions.All(v => v.VersionId != moveTo))
        {
            throw SecretErrors.Invalid($"The version {moveTo} doesn't exist in this secret.");
        }
        if (removeFrom is not null && holder?.VersionId != removeFrom)
        {
            throw SecretErrors.Invalid(moveTo is null
                ? $"The staging label {stage} is not attached to version {removeFrom}, so you can't remove it."
                : $"When you move staging label {stage}, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label {stage}.");
        }
        if (moveTo is null && removeFrom is null)
        {
            throw SecretErrors.Invalid("You must specify MoveToVersionId, RemoveFromVersionId or both.");
        }
        if (moveTo is not null && holder is not null && holder.VersionId != moveTo && removeFrom is null)
        {
            throw SecretErrors.Invalid(
                $"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.");
        }
        if (moveTo is null && stage == Current)
        {
            throw SecretErrors.Invalid("You can't remove the staging label AWSCURRENT from a version without moving it to another version in MoveToVersionId.");
        }
        if (moveTo is null)
        {
            return Prune([.. versions.Select(v => v.VersionId == removeFrom ? v with { Stages = [.. v.Stages.Where(s => s != stage)] } : v)]);
        }
        if (holder?.VersionId == moveTo)
        {
            return versions;
        }
        if (versions.First(v => v.VersionId == moveTo).Stages.Count >= MaxStagesPerVersion)
        {
            throw new Domain.Errors.AwsException("LimitExceededException", $"A version can have at most {MaxStagesPerVersion} staging labels.");
        }
        return Prune(Attach(versions.ToList(), stage, moveTo));
    }

    private static List<SecretVersion> Attach(List<SecretVersion> versions, string stage, string versionId)
    {
        var previousHolder = versions.FirstOrDefault(v => v.Stages.Contains(stage, StringComparer.Ordinal) && v.VersionId != versionId);
        var result = versions.Select(v =>
            v.VersionId == versionId ? v with { Stages = v.Stages.Contains(stage, StringComparer.Ordinal) ? v.Stages : [.. v.Stages, stage] }
            : v with { Stages = [.. v.Stages.Where(s => s != stage)] }).ToList();
        if (stage == Current && previousHolder is not null)
        {
            result = Attach(result, Previous, previousHolder.VersionId);
        }
        return result;
    }

    private static List<SecretVersion> Prune(List<SecretVersion> versions)
    {
        var excess = versions.Count - MaxVersions;
        if (excess <= 0)
        {
            return versions;
        }
        var dropped = versions.Where(v => v.Stages.Count == 0).Take(excess).Select(v => v.VersionId).ToHashSet(StringComparer.Ordinal);
        return [.. versions.Where(v => !dropped.Contains(v.VersionId))];
    }
}
