namespace Gantry.Oci.Tests;

/// <summary>Bounds every await in a test.</summary>
internal static class TestTimeout
{
    public static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
