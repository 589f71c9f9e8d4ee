using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>Reads and writes a set of strings the way image configs spell one: <c>{"80/tcp":{}}</c>.</summary>
internal sealed class StringSetJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object whose members are the set's strings");
        }
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            items.Add(reader.GetString()!);
            reader.Read();
            reader.Skip();
        }
        return items;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var item in value)
        {
            writer.WriteStartObject(item);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
