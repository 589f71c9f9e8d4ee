namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>Whether an image meets the tagging requirements of a rule's selection.</summary>
internal static class SelectionMatch
{
    public static bool Selects(LifecycleSelection selection, LifecycleImage image) => selection.TagStatus switch
    {
        LifecycleTagStatus.Any => true,
        LifecycleTagStatus.Untagged => image.Tags.Count == 0,
        _ => image.Tags.Count > 0
            && selection.TagPrefixList.All(prefix => image.Tags.Any(tag => tag.StartsWith(prefix, StringComparison.Ordinal)))
            && selection.TagPatternList.All(pattern => image.Tags.Any(tag => TagPattern.Matches(pattern, tag))),
    };
}
