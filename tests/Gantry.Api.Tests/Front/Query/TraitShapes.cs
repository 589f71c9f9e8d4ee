using System.Text.Json.Serialization;
using Gantry.Domain.Wire;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// A structure using the XML traits the official awsQuery models do not (tools/shapegen writes them as [AwsXml]):
/// flattened lists and maps, renamed members, list members and map keys/values, epoch-seconds timestamps.
/// </summary>
public sealed record TraitShapes
{
    [JsonPropertyName("Flat")]
    [AwsXml(Flattened = true)]
    public IReadOnlyList<string>? Flat { get; init; }

    [JsonPropertyName("Renamed")]
    [AwsXml(Name = "Other", MemberName = "item")]
    public IReadOnlyList<int>? Renamed { get; init; }

    [JsonPropertyName("FlatMap")]
    [AwsXml(Flattened = true, KeyName = "Name", ValueName = "Setting")]
    public IReadOnlyDictionary<string, TraitShapes>? FlatMap { get; init; }

    [JsonPropertyName("Epoch")]
    [AwsXml(TimestampFormat = "epoch-seconds")]
    public DateTimeOffset? Epoch { get; init; }

    [JsonPropertyName("Enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("Blob")]
    public byte[]? Blob { get; init; }

    [JsonPropertyName("Large")]
    public long? Large { get; init; }
}
