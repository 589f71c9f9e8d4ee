namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Waits for a condition instead of sleeping a fixed time; fails after a bound.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeoutSeconds} s");
            await Task.Delay(200);
        }
    }
}
