namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>Which images a lifecycle rule looks at (<c>selection.tagStatus</c>).</summary>
public enum LifecycleTagStatus
{
    /// <summary><c>tagged</c>: images with at least one tag matching every entry of the rule's prefix or pattern list.</summary>
    Tagged,

    /// <summary><c>untagged</c>: images without any tag.</summary>
    Untagged,

    /// <summary><c>any</c>: every image; such a rule must have the highest rulePriority.</summary>
    Any,
}
