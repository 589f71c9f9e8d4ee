namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>
/// The <c>selection</c> of a lifecycle rule. An absent <c>tagPrefixList</c> or <c>tagPatternList</c> is an empty list;
/// only a <see cref="LifecycleTagStatus.Tagged"/> selection has one (exactly one) of them.
/// <see cref="CountNumber"/> is an image count or, for <see cref="LifecycleCountType.SinceImagePushed"/>, a number of days.
/// </summary>
public sealed record LifecycleSelection(
    LifecycleTagStatus TagStatus,
    IReadOnlyList<string> TagPrefixList,
    IReadOnlyList<string> TagPatternList,
    LifecycleCountType CountType,
    int CountNumber);
