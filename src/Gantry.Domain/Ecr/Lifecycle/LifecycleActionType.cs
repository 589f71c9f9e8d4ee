namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>What a lifecycle rule does to the images it picks (<c>action.type</c>).</summary>
public enum LifecycleActionType
{
    /// <summary><c>expire</c>: the image is deleted from the repository.</summary>
    Expire,
}
