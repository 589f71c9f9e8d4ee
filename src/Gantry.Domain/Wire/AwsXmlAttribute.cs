namespace Gantry.Domain.Wire;

/// <summary>
/// The Smithy XML traits of a member that change its awsQuery form and XML element names, written by tools/shapegen
/// only where the model sets them (without it: the member's name, <c>member</c> for list entries, <c>entry</c>/<c>key</c>/<c>value</c>
/// for maps, not flattened, timestamps as ISO 8601 date-time). The member's own name is its <c>JsonPropertyName</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AwsXmlAttribute : Attribute
{
    /// <summary>The member's <c>smithy.api#xmlName</c>: its query key and XML element name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The ec2 protocol's request key where it differs from <see cref="Name"/> (botocore's <c>queryName</c>, else its
    /// <c>locationName</c> capitalized): EC2 names a member <c>groups</c> in answers and <c>Groups</c> in requests.
    /// </summary>
    public string? QueryName { get; init; }

    /// <summary>The member's <c>smithy.api#xmlFlattened</c>: list entries (map entries) are <c>Name.N</c>, not <c>Name.member.N</c>.</summary>
    public bool Flattened { get; init; }

    /// <summary>The <c>smithy.api#xmlName</c> of the list's member (default <c>member</c>).</summary>
    public string? MemberName { get; init; }

    /// <summary>The <c>smithy.api#xmlName</c> of the map's key (default <c>key</c>).</summary>
    public string? KeyName { get; init; }

    /// <summary>The <c>smithy.api#xmlName</c> of the map's value (default <c>value</c>).</summary>
    public string? ValueName { get; init; }

    /// <summary>The <c>smithy.api#timestampFormat</c> of the member or its target: <c>date-time</c>, <c>epoch-seconds</c> or <c>http-date</c>.</summary>
    public string? TimestampFormat { get; init; }
}
