using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Domain.Json;

/// <summary>AWS JSON 1.1 timestamps: epoch seconds as a JSON number, with milliseconds as the fraction.</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || double.IsNaN(seconds)
            || seconds < -62135596800 || seconds > 253402300799)
        {
            throw new JsonException("Expected a timestamp in epoch seconds.");
        }
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var milliseconds = value.ToUnixTimeMilliseconds();
        Span<byte> buffer = stackalloc byte[32];
        Utf8Formatter.TryFormat(milliseconds / 1000m, buffer, out var written, new StandardFormat('F', 3));
        writer.WriteRawValue(buffer[..written], skipInputValidation: true);
    }
}
