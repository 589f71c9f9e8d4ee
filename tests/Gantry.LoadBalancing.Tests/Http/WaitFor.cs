namespace Gantry.LoadBalancing.Tests.Http;

internal static class WaitFor
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing after 10 seconds.</summary>
    public static async Task ConditionAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
