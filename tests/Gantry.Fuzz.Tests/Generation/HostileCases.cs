using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Fuzz.Tests.Model;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// Hostile requests for one operation, generated from its model input: for every member reachable from the input
/// (depth-limited, recursion cut), the plausible input with that one member made hostile — null list elements and
/// map values, wrong JSON types, out-of-range and fractional numbers, oversized and malformed strings, invalid enum
/// values, deeply nested arrays — plus whole-body damage: truncation, non-objects, invalid UTF-8, deep nesting.
/// Null entries and whole-body cases always run; the rest are sampled to the budget with the given random source.
/// </summary>
public sealed class HostileCases(SmithyModels models, PlausibleValues plausible)
{
    private const int MaxPathSteps = 6;
    private const string Marker = "\u0001FUZZ\u0001";
    private static readonly string SerializedMarker = JsonSerializer.Serialize(Marker);
    private static readonly string Oversized = $"\"{new string('a', 70_000)}\"";
    private static readonly string DeepArrays = new string('[', 5_000) + new string(']', 5_000);
    private static readonly string DeepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);

    public IReadOnlyList<FuzzCase> For(string target, string inputShape, Random random, int budget)
    {
        var service = target[..target.IndexOf('.', StringComparison.Ordinal)];
        var input = plausible.Input(inputShape, service);
        var always = new List<FuzzCase>(WholeBody(target, input));
        var sampled = new List<FuzzCase>();
        foreach (var path in Paths(inputShape))
        {
            foreach (var (label, fragment, mustRun) in Fragments(path, service))
            {
                var body = Splice(input, path, fragment, service);
                (mustRun ? always : sampled).Add(new FuzzCase(target, $"{path} = {label}", body));
            }
        }
        var room = Math.Max(0, budget - always.Count);
        return [.. always, .. sampled.Count <= room ? sampled : sampled.OrderBy(_ => random.Next()).Take(room)];
    }

    private IEnumerable<MemberPath> Paths(string inputShape)
    {
        var pending = new Stack<(MemberPath? Path, string ShapeId)>([(null, inputShape)]);
        while (pending.TryPop(out var item))
        {
            if (item.Path is { } path)
            {
                yield return path;
            }
            var steps = item.Path?.Steps ?? [];
            if (steps.Count >= MaxPathSteps || item.ShapeId.StartsWith("smithy.api#", StringComparison.Ordinal))
            {
                continue;
            }
            var shape = models.Shape(item.ShapeId);
            var children = SmithyModels.Kind(shape) switch
            {
                "structure" or "union" when shape.TryGetProperty("members", out var members) =>
                    members.EnumerateObject().Select(m => new PathStep(StepKind.Member, m.Name, m.Value.GetProperty("target").GetString()!)).ToList(),
                "list" or "set" => [new PathStep(StepKind.Element, "0", shape.GetProperty("member").GetProperty("target").GetString()!)],
                "map" => [new PathStep(StepKind.MapValue, "k", shape.GetProperty("value").GetProperty("target").GetString()!)],
                _ => [],
            };
            foreach (var child in Enumerable.Reverse(children))
            {
                if (steps.Any(s => s.ShapeId == child.ShapeId) || child.ShapeId == inputShape)
                {
                    continue; // a recursive shape: once is enough
                }
                pending.Push((item.Path is null ? new MemberPath([child]) : item.Path.Then(child), child.ShapeId));
            }
        }
    }

    private IEnumerable<(string Label, string Fragment, bool MustRun)> Fragments(MemberPath path, string service)
    {
        var kind = path.ShapeId.StartsWith("smithy.api#", StringComparison.Ordinal)
            ? SmithyModels.Name(path.ShapeId).ToLowerInvariant()
            : SmithyModels.Kind(models.Shape(path.ShapeId));
        switch (kind)
        {
            case "list" or "set":
                var element = Raw(ElementOf(path, service));
                yield return ("[null]", "[null]", true);
                yield return ("[valid, null]", $"[{element},null]", true);
                yield return ("2000 elements", $"[{string.Join(',', Enumerable.Repeat(element, 2000))}]", false);
                yield return ("deep arrays", DeepArrays, false);
                yield return ("object", "{}", false);
                yield return ("string", "\"x\"", false);
                break;
            case "map":
                var value = Raw(ValueOf(path, service));
                yield return ("{k: null}", "{\"k\":null}", true);
                yield return ("empty key", $"{{\"\":{value}}}", false);
                yield return ("2000 keys", $"{{{string.Join(',', Enumerable.Range(0, 2000).Select(i => $"\"k{i}\":{value}"))}}}", false);
                yield return ("array", "[]", false);
                yield return ("deep objects", DeepObjects, false);
                break;
            case "structure" or "union":
                yield return ("array", "[]", false);
                yield return ("string", "\"x\"", false);
                yield return ("number", "1", false);
                yield return ("deep arrays", DeepArrays, false);
                yield return ("unknown member", "{\"notAMember\":[1,{\"a\":null}]}", false);
                break;
            case "string":
                foreach (var fragment in Strings)
                {
                    yield return fragment;
                }
                break;
            case "enum":
                var first = Raw(plausible.For("", path.ShapeId, service, 0));
                yield return ("invalid enum", "\"NOT_A_VALUE\"", false);
                yield return ("lower-case enum", first.ToLowerInvariant(), false);
                yield return ("empty enum", "\"\"", false);
                yield return ("number", "7", false);
                break;
            case "integer" or "long" or "short" or "byte" or "intenum" or "intEnum":
                foreach (var fragment in Integers)
                {
                    yield return fragment;
                }
                break;
            case "double" or "float":
                yield return ("1e400", "1e400", false);
                yield return ("-1e308", "-1e308", false);
                yield return ("negative", "-1", false);
                yield return ("NaN string", "\"NaN\"", false);
                break;
            case "timestamp":
                yield return ("negative", "-1", false);
                yield return ("1e20", "1e20", false);
                yield return ("2^63-1", "9223372036854775807", false);
                yield return ("before year 1", "-62135596801", false);
                yield return ("ISO string", "\"2020-01-01T00:00:00Z\"", false);
                break;
            case "boolean":
                yield return ("string", "\"true\"", false);
                yield return ("number", "1", false);
                yield return ("object", "{}", false);
                break;
            case "blob":
                yield return ("not base64", "\"not base64!\"", false);
                yield return ("padding only", "\"====\"", false);
                yield return ("number", "123", false);
                break;
        }
    }

    private static readonly (string, string, bool)[] Strings =
    [
        ("empty", "\"\"", false),
        ("70000 chars", Oversized, false),
        ("lone surrogate", "\"\\ud800\"", false),
        ("NUL", "\"a\\u0000b\"", false),
        ("path traversal", "\"../../../etc/passwd\"", false),
        ("glob", "\"fz*?[]{}%\"", false),
        ("ARN with dot segments", "\"arn:aws:ecs:us-east-1:000000000000:cluster/fz/../../x\"", false),
        ("number", "12345", false),
        ("boolean", "true", false),
        ("object", "{}", false),
        ("array", "[\"fz\"]", false),
    ];

    private static readonly (string, string, bool)[] Integers =
    [
        ("-1", "-1", false),
        ("0", "0", false),
        ("2^31", "2147483648", false),
        ("-2^31-1", "-2147483649", false),
        ("2^63-1", "9223372036854775807", false),
        ("-2^63", "-9223372036854775808", false),
        ("1e400", "1e400", false),
        ("10^23", "100000000000000000000000", false),
        ("fraction", "1.5", false),
        ("numeric string", "\"1\"", false),
        ("boolean", "true", false),
    ];

    private JsonNode? ElementOf(MemberPath path, string service) =>
        plausible.For(path.Steps[^1].Name, models.Shape(path.ShapeId).GetProperty("member").GetProperty("target").GetString()!, service, 1);

    private JsonNode? ValueOf(MemberPath path, string service) =>
        plausible.For("value", models.Shape(path.ShapeId).GetProperty("value").GetProperty("target").GetString()!, service, 1);

    private byte[] Splice(JsonObject input, MemberPath path, string fragment, string service)
    {
        var root = (JsonObject)input.DeepClone();
        path.Set(root, Marker, step => plausible.For(step.Name, step.ShapeId, service, 1));
        return Encoding.UTF8.GetBytes(root.ToJsonString().Replace(SerializedMarker, fragment, StringComparison.Ordinal));
    }

    private static string Raw(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static IEnumerable<FuzzCase> WholeBody(string target, JsonObject input)
    {
        var valid = input.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(valid);
        FuzzCase Case(string description, byte[] body) => new(target, description, body);
        FuzzCase Text(string description, string body) => Case(description, Encoding.UTF8.GetBytes(body));
        yield return Text("body: null", "null");
        yield return Text("body: array", "[]");
        yield return Text("body: string", "\"x\"");
        yield return Text("body: number", "1");
        yield return Text("body: lone brace", "{");
        yield return Text("body: two objects", "{}{}");
        yield return Text("body: trailing garbage", valid + "x");
        yield return Text("body: comment", "/* c */" + valid);
        yield return Text("body: deep arrays", new string('[', 100_000) + new string(']', 100_000));
        yield return Text("body: unclosed deep arrays", new string('[', 100_000));
        yield return Text("body: deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
        yield return Case("body: byte order mark", [0xEF, 0xBB, 0xBF, .. bytes]);
        yield return Case("body: invalid UTF-8", [.. Encoding.UTF8.GetBytes("{\"x\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")]);
        if (input.Count > 0)
        {
            var first = input.First();
            yield return Text("body: duplicate member", valid[..^1] + $",\"{first.Key}\":{Raw(first.Value)}}}");
        }
        foreach (var cut in new[] { 1, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 }.Where(c => c > 0 && c < bytes.Length).Distinct())
        {
            yield return Case($"body: truncated at {cut} of {bytes.Length}", bytes[..cut]);
        }
    }
}
