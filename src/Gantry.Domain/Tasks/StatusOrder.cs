namespace Gantry.Domain.Tasks;

/// <summary>Compares statuses by their place in a lifecycle; a status not in it ranks below every known one.</summary>
internal static class StatusOrder
{
    public static int Rank(IReadOnlyList<string> order, string? status) =>
        status is null ? -1 : IndexOf(order, status);

    /// <summary>The later of two statuses; <paramref name="a"/> when they rank the same.</summary>
    public static string Max(IReadOnlyList<string> order, string a, string b) => Rank(order, b) > Rank(order, a) ? b : a;

    private static int IndexOf(IReadOnlyList<string> order, string status)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == status)
            {
                return i;
            }
        }
        return -1;
    }
}
