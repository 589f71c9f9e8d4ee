namespace Gantry.Secrets.SecretsManager;

/// <summary>Secrets Manager's tag rules: at most 50, keys 1–128 characters, values up to 256; a key given again replaces its value.</summary>
public static class SecretTags
{
    public const int MaxTags = 50;

    public static void Check(IReadOnlyList<TagEntry> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count > MaxTags || tags.Any(t => t.Key.Length is 0 or > 128 || t.Value.Length > 256))
        {
            throw SecretErrors.Invalid($"A secret has at most {MaxTags} tags, each with a key of 1 to 128 characters and a value of up to 256.");
        }
    }

    public static IReadOnlyList<TagEntry> Merge(IReadOnlyList<TagEntry> current, IReadOnlyList<TagEntry> added)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(added);
        var merged = current.Where(t => added.All(a => a.Key != t.Key)).Concat(added.DistinctBy(t => t.Key)).ToList();
        return merged.Count <= MaxTags ? merged : throw SecretErrors.Invalid($"A secret has at most {MaxTags} tags.");
    }
}
