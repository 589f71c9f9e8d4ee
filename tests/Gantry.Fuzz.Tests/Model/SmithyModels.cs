using System.Text.Json;

namespace Gantry.Fuzz.Tests.Model;

/// <summary>
/// The official Smithy JSON models of the AWS JSON and awsQuery services (one file per service). An operation is found by
/// <c>ServiceShapeName.OperationName</c>: its <c>X-Amz-Target</c>, the way AWS JSON 1.0/1.1 clients address it, or for
/// awsQuery the service Gantry's operation table declares and the request's <c>Action</c>. Services without a Smithy model
/// (EC2) come from botocore's (<see cref="BotocoreModel"/>), by their <c>serviceId</c>.
/// </summary>
public sealed class SmithyModels
{
    private readonly Dictionary<string, JsonElement> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);

    private SmithyModels()
    {
    }

    /// <summary>Reads every model in <paramref name="directories"/> whose service speaks AWS JSON or awsQuery, and the <paramref name="botocoreModels"/>.</summary>
    public static SmithyModels Load(IEnumerable<string> directories, params IEnumerable<string> botocoreModels)
    {
        var models = new SmithyModels();
        foreach (var (service, shapes, inputs) in botocoreModels.Select(BotocoreModel.Read))
        {
            foreach (var (id, shape) in shapes)
            {
                models._shapes[id] = shape;
            }
            foreach (var (operation, input) in inputs)
            {
                models._inputs[$"{service}.{operation}"] = input;
            }
        }
        foreach (var file in directories.SelectMany(d => Directory.EnumerateFiles(d, "*.json")))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!document.RootElement.TryGetProperty("shapes", out var shapes))
            {
                continue;
            }
            var local = shapes.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.Clone(), StringComparer.Ordinal);
            foreach (var (id, shape) in local)
            {
                models._shapes[id] = shape;
                if (Kind(shape) == "service" && (SpeaksAwsJson(shape) || HasTrait(shape, "aws.protocols#awsQuery")))
                {
                    foreach (var operation in shape.GetProperty("operations").EnumerateArray())
                    {
                        var operationId = operation.GetProperty("target").GetString()!;
                        var input = local[operationId].TryGetProperty("input", out var i) ? i.GetProperty("target").GetString()! : "smithy.api#Unit";
                        models._inputs[$"{Name(id)}.{Name(operationId)}"] = input;
                    }
                }
            }
        }
        return models;
    }

    /// <summary>The input shape id of the operation <paramref name="target"/> addresses, or null when no model declares it.</summary>
    public string? InputOf(string target) => _inputs.GetValueOrDefault(target);

    public JsonElement Shape(string id) => _shapes[id];

    public static string Kind(JsonElement shape) => shape.GetProperty("type").GetString()!;

    /// <summary>The kind of the shape <paramref name="id"/> names, a prelude shape (<c>smithy.api#Integer</c>, ...) included.</summary>
    public string KindOf(string id) => id.StartsWith("smithy.api#", StringComparison.Ordinal)
        ? Name(id).ToLowerInvariant().Replace("primitive", "", StringComparison.Ordinal)
        : Kind(Shape(id));

    /// <summary>The part of a shape id after <c>#</c>.</summary>
    public static string Name(string id) => id[(id.IndexOf('#', StringComparison.Ordinal) + 1)..];

    public static bool HasTrait(JsonElement shapeOrMember, string trait) =>
        shapeOrMember.TryGetProperty("traits", out var traits) && traits.TryGetProperty(trait, out _);

    private static bool SpeaksAwsJson(JsonElement service) =>
        HasTrait(service, "aws.protocols#awsJson1_1") || HasTrait(service, "aws.protocols#awsJson1_0");
}
