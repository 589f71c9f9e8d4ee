namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>How a lifecycle rule picks images to expire among those it selects (<c>selection.countType</c>).</summary>
public enum LifecycleCountType
{
    /// <summary><c>imageCountMoreThan</c>: keep the newest <c>countNumber</c> images, expire the rest.</summary>
    ImageCountMoreThan,

    /// <summary><c>sinceImagePushed</c> (with <c>countUnit</c> <c>days</c>): expire images pushed more than <c>countNumber</c> days ago.</summary>
    SinceImagePushed,
}
