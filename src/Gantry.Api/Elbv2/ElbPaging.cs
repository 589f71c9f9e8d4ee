using Gantry.Api.State;

namespace Gantry.Api.Elbv2;

/// <summary>ELB's Marker/PageSize paging: the marker is the last store key of the previous page, opaque to the caller.</summary>
public static class ElbPaging
{
    public const int MaxPageSize = 400;

    /// <summary>The page size asked for (1–400, default 400) in ELB's ValidationError wording.</summary>
    public static int Size(int? pageSize)
    {
        if (pageSize is { } size && (size < 1 || size > MaxPageSize))
        {
            throw ElbErrors.Constraint(size.ToString(System.Globalization.CultureInfo.InvariantCulture), "pageSize",
                size < 1 ? "Member must have value greater than or equal to 1" : $"Member must have value less than or equal to {MaxPageSize}");
        }
        return pageSize ?? MaxPageSize;
    }

    public static string? After(string? marker)
    {
        try
        {
            return PageToken.Decode(marker);
        }
        catch (Domain.Errors.AwsException)
        {
            throw ElbErrors.Validation($"Invalid marker '{marker}'");
        }
    }

    public static string Next(string lastKey) => PageToken.Encode(lastKey);
}
