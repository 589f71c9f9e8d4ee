namespace Gantry.Registry.Tests;

/// <summary>Bounds an await that does not take the harness's cancellation token (Task.WhenAll and friends).</summary>
internal static class TaskBounds
{
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(RegistryHarness.Bound);

    public static Task Within(this Task task) => task.WaitAsync(RegistryHarness.Bound);
}
