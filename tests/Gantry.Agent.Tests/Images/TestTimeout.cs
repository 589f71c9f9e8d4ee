namespace Gantry.Agent.Tests.Images;

/// <summary>Bounds every await in a test.</summary>
internal static class TestTimeout
{
    public static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
