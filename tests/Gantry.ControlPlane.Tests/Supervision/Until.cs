namespace Gantry.ControlPlane.Tests.Supervision;

/// <summary>Waits (in real time, bounded) for a condition that another thread makes true.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"within 10 s: {what}");
            await Task.Delay(5);
        }
    }
}
