using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Fuzz.Tests.Model;

/// <summary>
/// A botocore service model (<c>service-2.json</c>) as Smithy JSON shapes, for a service that has no Smithy model in
/// shared/aws-models (EC2, protocol <c>ec2</c>): structures keep their members (<c>required</c> becomes
/// <c>smithy.api#required</c>; each member's request name, botocore's <c>queryName</c> else its <c>locationName</c>
/// capitalized else its name, becomes <c>aws.protocols#ec2QueryName</c>, as Smithy's own EC2 model writes it), strings
/// with <c>enum</c> become enum shapes, and the service shape carries <c>aws.protocols#ec2Query</c>.
/// </summary>
public static class BotocoreModel
{
    public const string Ec2QueryName = "aws.protocols#ec2QueryName";

    /// <summary>The shapes of the model at <paramref name="path"/> (gzipped or not), under <c>com.amazonaws.&lt;prefix&gt;#</c>, and its service's name.</summary>
    public static (string ServiceName, IReadOnlyDictionary<string, JsonElement> Shapes, IReadOnlyDictionary<string, string> Inputs) Read(string path)
    {
        using var stream = path.EndsWith(".gz", StringComparison.Ordinal)
            ? (Stream)new GZipStream(File.OpenRead(path), CompressionMode.Decompress)
            : File.OpenRead(path);
        var model = JsonNode.Parse(stream)!.AsObject();
        var metadata = model["metadata"]!;
        var prefix = $"com.amazonaws.{metadata["endpointPrefix"]!.GetValue<string>()}#";
        var shapes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, shape) in model["shapes"]!.AsObject())
        {
            shapes[prefix + name] = JsonSerializer.SerializeToElement(Smithy(shape!.AsObject(), prefix));
        }
        var inputs = model["operations"]!.AsObject().ToDictionary(
            o => o.Key, o => o.Value!["input"]?["shape"]?.GetValue<string>() is { } input ? prefix + input : "smithy.api#Unit", StringComparer.Ordinal);
        return (metadata["serviceId"]!.GetValue<string>(), shapes, inputs);
    }

    /// <summary>
    /// Where botocore's model of <paramref name="relative"/> (<c>ec2/2016-11-15/service-2.json</c>) is: under
    /// <c>BOTOCORE_DATA</c>, else in the data folder of the botocore pyenv's Python imports (as tools/shapegen finds it).
    /// </summary>
    public static string Find(string relative)
    {
        var data = Environment.GetEnvironmentVariable("BOTOCORE_DATA") is { Length: > 0 } configured ? configured : PythonBotocoreData();
        var path = Path.Combine(data, relative);
        return File.Exists(path) ? path : File.Exists(path + ".gz") ? path + ".gz"
            : throw new FileNotFoundException($"No botocore model {relative} in {data}; set BOTOCORE_DATA to botocore's data directory.");
    }

    private static string PythonBotocoreData()
    {
        var shim = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".pyenv", "shims", "python3");
        var start = new ProcessStartInfo(File.Exists(shim) ? shim : "python3", ["-c", "import botocore,os;print(os.path.join(os.path.dirname(botocore.__file__),'data'))"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var output = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        return python.ExitCode == 0 && output.Length > 0
            ? output
            : throw new InvalidOperationException($"python3 cannot import botocore ({python.StandardError.ReadToEnd()}); set BOTOCORE_DATA to botocore's data directory.");
    }

    private static JsonObject Smithy(JsonObject shape, string prefix)
    {
        var type = shape["type"]!.GetValue<string>();
        JsonObject Target(JsonNode reference) => new() { ["target"] = prefix + reference["shape"]!.GetValue<string>() };
        switch (type)
        {
            case "structure":
                var required = (shape["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
                var members = new JsonObject();
                foreach (var (name, member) in shape["members"]?.AsObject() ?? [])
                {
                    var traits = new JsonObject { [Ec2QueryName] = QueryName(name, member!) };
                    if (required.Contains(name))
                    {
                        traits["smithy.api#required"] = new JsonObject();
                    }
                    var target = Target(member!);
                    target["traits"] = traits;
                    members[name] = target;
                }
                return new JsonObject { ["type"] = "structure", ["members"] = members };
            case "list":
                return new JsonObject { ["type"] = "list", ["member"] = Target(shape["member"]!) };
            case "map":
                return new JsonObject { ["type"] = "map", ["key"] = Target(shape["key"]!), ["value"] = Target(shape["value"]!) };
            case "string" when shape["enum"] is JsonArray values:
                var enumMembers = new JsonObject();
                foreach (var value in values.Select(v => v!.GetValue<string>()))
                {
                    enumMembers[value] = new JsonObject { ["target"] = "smithy.api#Unit", ["traits"] = new JsonObject { ["smithy.api#enumValue"] = value } };
                }
                return new JsonObject { ["type"] = "enum", ["members"] = enumMembers };
            default:
                return new JsonObject { ["type"] = type };
        }
    }

    /// <summary>botocore's Ec2Serializer: <c>queryName</c>, else <c>locationName</c> with its first letter upper-cased, else the member name.</summary>
    private static string QueryName(string name, JsonNode member) =>
        member["queryName"]?.GetValue<string>()
        ?? (member["locationName"]?.GetValue<string>() is { Length: > 0 } location ? char.ToUpperInvariant(location[0]) + location[1..] : name);
}
