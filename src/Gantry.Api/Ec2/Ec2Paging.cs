using System.Globalization;
using System.Text;
using Gantry.ControlPlane.Networks;

namespace Gantry.Api.Ec2;

/// <summary>
/// EC2's Describe paging: <c>MaxResults</c> 5–1000 (none: everything in one answer), <c>NextToken</c> the opaque position
/// after the last item answered (here the item's index, base64), which only a token this server issued passes.
/// </summary>
public static class Ec2Paging
{
    public const int Min = 5, Max = 1000;

    public static (List<T> Page, string? NextToken) Page<T>(IEnumerable<T> items, int? maxResults, string? nextToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (maxResults is { } max && max is < Min or > Max)
        {
            throw NetworkErrors.InvalidValue(max.ToString(CultureInfo.InvariantCulture), "MaxResults", $"Expecting a value between {Min} and {Max}.");
        }
        var skip = Decode(nextToken);
        var all = items.Skip(skip).ToList();
        if (maxResults is not { } limit || all.Count <= limit)
        {
            return (all, null);
        }
        return (all[..limit], Convert.ToBase64String(Encoding.UTF8.GetBytes((skip + limit).ToString(CultureInfo.InvariantCulture))));
    }

    private static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }
        try
        {
            return int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture, out var skip) && skip > 0
                ? skip : throw NetworkErrors.InvalidValue(token, "NextToken", "The token is not valid.");
        }
        catch (FormatException)
        {
            throw NetworkErrors.InvalidValue(token, "NextToken", "The token is not valid.");
        }
    }
}
