using System.Text;
using Gantry.Domain.Errors;

namespace Gantry.Api.State;

/// <summary>Opaque nextToken values: the last key of the previous page, base64url-encoded.</summary>
public static class PageToken
{
    public static string Encode(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw EcsErrors.InvalidParameter("Invalid nextToken.");
        }
    }

    /// <summary>Validates maxResults (1..100, default 100) as ECS does.</summary>
    public static int Limit(int? maxResults, string field = "maxResults", int max = 100)
    {
        if (maxResults is null)
        {
            return max;
        }
        if (maxResults < 1 || maxResults > max)
        {
            throw EcsErrors.InvalidParameter($"{field} must be between 1 and {max}.");
        }
        return maxResults.Value;
    }
}
