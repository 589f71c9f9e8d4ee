namespace Gantry.LoadBalancing.Http.Forwarding;

/// <summary>X-Amzn-Trace-Id values as ELB makes them: <c>Root=1-&lt;8 hex epoch seconds&gt;-&lt;24 hex random&gt;</c>.</summary>
internal static class TraceIds
{
    public const string Header = "X-Amzn-Trace-Id";

    public static string NewRoot(TimeProvider time)
    {
        var seconds = (uint)time.GetUtcNow().ToUnixTimeSeconds();
        return string.Create(40, seconds, static (span, epoch) =>
        {
            "Root=1-".AsSpan().CopyTo(span);
            epoch.TryFormat(span[7..], out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
            span[15] = '-';
            Span<byte> random = stackalloc byte[12];
            Random.Shared.NextBytes(random);
            for (var i = 0; i < random.Length; i++)
            {
                random[i].TryFormat(span[(16 + (2 * i))..], out _, "x2", System.Globalization.CultureInfo.InvariantCulture);
            }
        });
    }
}
