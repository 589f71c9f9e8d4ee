using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// The availability zones Gantry has: those its container instances report (attribute <c>ecs.availability-zone</c>) and
/// the region's first zone (<c>&lt;region&gt;a</c>, the zone of a node that reports none), in name order.
/// </summary>
public sealed class AvailabilityZones(Documents documents, AwsAccount account)
{
    public const string ZoneAttribute = "ecs.availability-zone";

    /// <summary>The zone a node that reports none is in.</summary>
    public string DefaultZone => account.Region + "a";

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var instances = await documents.ListAllAsync<ContainerInstance>(Kinds.ContainerInstance, null, ct).ConfigureAwait(false);
        return [.. instances.SelectMany(i => i.Value.Attributes ?? []).Where(a => a.Name == ZoneAttribute && !string.IsNullOrEmpty(a.Value))
            .Select(a => a.Value!).Append(DefaultZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A zone id in AWS's style: the region's short form and the zone's letter as a number (<c>us-east-1a</c> →
    /// <c>use1-az1</c>, <c>ap-southeast-2b</c> → <c>apse2-az2</c>); a name not of that form keeps its own name.
    /// </summary>
    public static string ZoneId(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parts = zone.Split('-');
        if (parts.Length < 3 || zone.Length < 2 || !char.IsAsciiLetterLower(zone[^1]) || !char.IsAsciiDigit(zone[^2]))
        {
            return zone;
        }
        var number = parts[^1][..^1];
        var middle = string.Concat(parts[1..^1].Select(Direction));
        return $"{parts[0]}{middle}{number}-az{zone[^1] - 'a' + 1}";
    }

    private static string Direction(string part) => part switch
    {
        "northeast" => "ne",
        "northwest" => "nw",
        "southeast" => "se",
        "southwest" => "sw",
        "" => "",
        _ => part[..1],
    };
}
