using System.Text.Json.Serialization;

namespace Gantry.Api.Front;

/// <summary>The AWS JSON error body: <c>{"__type": "...", "message": "..."}</c>.</summary>
public sealed record AwsErrorBody(
    [property: JsonPropertyName("__type")] string Type,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(AwsErrorBody))]
internal sealed partial class AwsErrorBodyContext : JsonSerializerContext;
