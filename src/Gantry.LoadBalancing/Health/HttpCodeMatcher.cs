using System.Globalization;

namespace Gantry.LoadBalancing.Health;

/// <summary>A health check's <c>Matcher.HttpCode</c>: codes and ranges separated by commas, like <c>200</c>, <c>200-299</c> or <c>200,302</c>.</summary>
public sealed record HttpCodeMatcher(string Text)
{
    public bool Matches(int code)
    {
        foreach (var part in Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (int.TryParse(dash < 0 ? part : part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(dash < 0 ? part : part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && code >= low && code <= high)
            {
                return true;
            }
        }
        return false;
    }
}
