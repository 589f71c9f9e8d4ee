namespace Gantry.Reconciliation;

/// <summary>The deployment configuration's percentages as task counts, rounded the way ECS rounds them.</summary>
internal static class Percentages
{
    /// <summary><c>maximumPercent</c> of the desired count, rounded down; never below the desired count when the
    /// percentage is at least 100.</summary>
    public static int MaximumTasks(int desired, int maximumPercent)
    {
        long tasks = (long)desired * maximumPercent / 100;
        if (maximumPercent >= 100)
        {
            tasks = Math.Max(tasks, desired);
        }

        return (int)Math.Min(tasks, int.MaxValue);
    }

    /// <summary><c>minimumHealthyPercent</c> of the desired count, rounded up.</summary>
    public static int MinimumHealthyTasks(int desired, int minimumHealthyPercent) =>
        (int)Math.Min(((long)desired * minimumHealthyPercent + 99) / 100, int.MaxValue);
}
