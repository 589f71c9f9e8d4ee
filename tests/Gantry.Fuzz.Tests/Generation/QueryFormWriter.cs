using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Fuzz.Tests.Model;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// An input as awsQuery form parameters, percent-encoded: members by name, list elements as <c>Name.member.N</c>, map
/// entries as <c>Name.entry.N.key</c> and <c>.value</c>, timestamps in ISO 8601 (the ELBv2 and IAM models use no
/// <c>xmlName</c> or <c>xmlFlattened</c> on inputs); or as the ec2 protocol names them (<see cref="QueryNaming"/>).
/// </summary>
public sealed class QueryFormWriter(SmithyModels models, QueryNaming naming)
{
    public List<(string Name, string Value)> Parameters(JsonObject input, string inputShape)
    {
        var parameters = new List<(string, string)>();
        Write(input, inputShape, "", parameters);
        return parameters;
    }

    /// <summary>The form body: <c>Action</c>, <c>Version</c>, then <paramref name="parameters"/> (already encoded).</summary>
    public static byte[] Body(string action, string version, IEnumerable<(string Name, string Value)> parameters) =>
        Encoding.UTF8.GetBytes(string.Join('&', new[] { ("Action", action), ("Version", version) }.Concat(parameters).Select(p => $"{p.Item1}={p.Item2}")));

    private void Write(JsonNode? node, string shapeId, string prefix, List<(string, string)> parameters)
    {
        if (node is null)
        {
            return;
        }
        switch (models.KindOf(shapeId))
        {
            case "structure" or "union":
                var members = models.Shape(shapeId).GetProperty("members");
                foreach (var (name, value) in node.AsObject())
                {
                    if (members.TryGetProperty(name, out var member))
                    {
                        Write(value, member.GetProperty("target").GetString()!, naming.Member(prefix, name, member), parameters);
                    }
                }
                break;
            case "list" or "set":
                var element = models.Shape(shapeId).GetProperty("member").GetProperty("target").GetString()!;
                var array = node.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    Write(array[i], element, naming.Element(prefix, (i + 1).ToString(CultureInfo.InvariantCulture)), parameters);
                }
                break;
            case "map":
                var valueShape = models.Shape(shapeId).GetProperty("value").GetProperty("target").GetString()!;
                var entry = 0;
                foreach (var (key, value) in node.AsObject())
                {
                    entry++;
                    parameters.Add(($"{prefix}.entry.{entry}.key", Uri.EscapeDataString(key)));
                    Write(value, valueShape, $"{prefix}.entry.{entry}.value", parameters);
                }
                break;
            case "timestamp":
                var seconds = node.GetValue<double>();
                parameters.Add((prefix, DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
                break;
            case "boolean":
                parameters.Add((prefix, node.GetValue<bool>() ? "true" : "false"));
                break;
            default:
                parameters.Add((prefix, Uri.EscapeDataString(node.ToString())));
                break;
        }
    }
}
