using System.Text;
using Gantry.Api.Front;
using Gantry.Fuzz.Tests.Model;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// Hostile awsQuery requests for one operation, generated from its model input: the plausible form with one parameter
/// (depth-limited, recursion cut) made hostile — wrong types, out-of-range and fractional numbers, oversized strings,
/// malformed percent-encodings and invalid UTF-8, invalid enum values, list indexes that are zero, huge, missing or not
/// numbers, scalars where structures or lists belong — each required member missing, and whole-body damage: no or
/// unknown <c>Action</c>, wrong <c>Version</c>, malformed encodings, deep and countless names, truncation, an oversized
/// body. Required-member and whole-body cases always run; the rest are sampled to the budget.
/// </summary>
public sealed class QueryCases(SmithyModels models, PlausibleValues plausible)
{
    private const int MaxPathSteps = 6;
    private static readonly string Oversized = new('a', 70_000);

    public IReadOnlyList<FuzzCase> For(AwsService service, string action, string inputShape, Random random, int budget)
    {
        ArgumentNullException.ThrowIfNull(service);
        var naming = QueryNaming.Of(service);
        var writer = new QueryFormWriter(models, naming);
        var input = writer.Parameters(plausible.Input(inputShape, service.Name), inputShape);
        var target = $"{service.Name}.{action}";
        FuzzCase Case(string description, IEnumerable<(string, string)> parameters) =>
            new(target, description, QueryFormWriter.Body(action, service.Version!, parameters), service);

        var always = new List<FuzzCase>(WholeBody(service, target, action, input));
        foreach (var required in RequiredMembers(inputShape, naming).Where(m => input.Any(p => Within(p.Name, m))))
        {
            always.Add(Case($"{required} missing", Without(input, required)));
        }
        var sampled = new List<FuzzCase>();
        foreach (var (name, shapeId) in Paths(inputShape, naming))
        {
            foreach (var (label, parameters) in Fragments(name, shapeId, naming))
            {
                sampled.Add(Case($"{name} = {label}", [.. Without(input, name), .. parameters]));
            }
        }
        var room = Math.Max(0, budget - always.Count);
        return [.. always, .. sampled.Count <= room ? sampled : sampled.OrderBy(_ => random.Next()).Take(room)];
    }

    private IEnumerable<string> RequiredMembers(string inputShape, QueryNaming naming) =>
        models.KindOf(inputShape) == "structure" && models.Shape(inputShape).TryGetProperty("members", out var members)
            ? members.EnumerateObject().Where(m => SmithyModels.HasTrait(m.Value, "smithy.api#required")).Select(m => naming.Member("", m.Name, m.Value))
            : [];

    /// <summary>Every parameter name reachable from the input (a list's first element, a map's first value), with its shape.</summary>
    private IEnumerable<(string Name, string ShapeId)> Paths(string inputShape, QueryNaming naming)
    {
        var pending = new Stack<(string Name, string ShapeId, IReadOnlyList<string> Seen)>([("", inputShape, [inputShape])]);
        while (pending.TryPop(out var item))
        {
            if (item.Name.Length > 0)
            {
                yield return (item.Name, item.ShapeId);
            }
            if (item.Seen.Count > MaxPathSteps || item.ShapeId.StartsWith("smithy.api#", StringComparison.Ordinal))
            {
                continue;
            }
            var shape = models.Shape(item.ShapeId);
            var children = SmithyModels.Kind(shape) switch
            {
                "structure" or "union" when shape.TryGetProperty("members", out var members) => members.EnumerateObject()
                    .Select(m => (naming.Member(item.Name, m.Name, m.Value), m.Value.GetProperty("target").GetString()!)).ToList(),
                "list" or "set" => [(naming.Element(item.Name, "1"), shape.GetProperty("member").GetProperty("target").GetString()!)],
                "map" => [($"{item.Name}.entry.1.value", shape.GetProperty("value").GetProperty("target").GetString()!)],
                _ => [],
            };
            foreach (var (name, shapeId) in Enumerable.Reverse(children))
            {
                if (!item.Seen.Contains(shapeId))
                {
                    pending.Push((name, shapeId, [.. item.Seen, shapeId])); // a recursive shape: once is enough
                }
            }
        }
    }

    /// <summary>The hostile parameters that stand for <paramref name="name"/>, already encoded.</summary>
    private IEnumerable<(string Label, (string Name, string Value)[] Parameters)> Fragments(string name, string shapeId, QueryNaming naming)
    {
        (string, (string, string)[]) One(string label, string value, string suffix = "") => (label, [($"{name}{suffix}", value)]);
        (string, (string, string)[]) Element(string label, string index) => (label, [(naming.Element(name, index), "fz")]);
        switch (models.KindOf(shapeId))
        {
            case "list" or "set":
                yield return Element("index 0", "0");
                yield return Element("index 2^32", "4294967296");
                yield return Element("index 2 without 1", "2");
                yield return Element("index not a number", "x");
                yield return One("scalar", "fz");
                yield return ("2000 elements", [.. Enumerable.Range(1, 2000).Select(i => (naming.Element(name, $"{i}"), "fz"))]);
                break;
            case "map":
                yield return One("value without key", "v", ".entry.1.value");
                yield return ("empty key", [($"{name}.entry.1.key", ""), ($"{name}.entry.1.value", "v")]);
                yield return One("scalar", "fz");
                yield return ("2000 entries", [.. Enumerable.Range(1, 2000).SelectMany(i => new[] { ($"{name}.entry.{i}.key", $"k{i}"), ($"{name}.entry.{i}.value", "v") })]);
                break;
            case "structure" or "union":
                yield return One("scalar", "x");
                yield return One("unknown member", "1", ".NotAMember");
                yield return Element("list element", "1");
                break;
            case "string":
                foreach (var (label, value) in Strings)
                {
                    yield return One(label, value);
                }
                break;
            case "enum":
                var first = models.Shape(shapeId).GetProperty("members").EnumerateObject().First().Value
                    .GetProperty("traits").GetProperty("smithy.api#enumValue").GetString()!;
                yield return One("invalid enum", "NOT_A_VALUE");
                yield return One("lower-case enum", Uri.EscapeDataString(first.ToLowerInvariant()));
                yield return One("empty enum", "");
                break;
            case "integer" or "long" or "short" or "byte" or "intenum" or "intEnum":
                foreach (var (label, value) in Integers)
                {
                    yield return One(label, value);
                }
                break;
            case "double" or "float":
                yield return One("1e400", "1e400");
                yield return One("NaN", "NaN");
                yield return One("not a number", "abc");
                yield return One("empty", "");
                break;
            case "boolean":
                yield return One("yes", "yes");
                yield return One("1", "1");
                yield return One("empty", "");
                break;
            case "timestamp":
                yield return One("not a time", "notatime");
                yield return One("year 99999", "99999-01-01T00%3A00%3A00Z");
                yield return One("-1", "-1");
                yield return One("empty", "");
                break;
            case "blob":
                yield return One("not base64", "not%20base64%21");
                yield return One("padding only", "%3D%3D%3D%3D");
                break;
        }
    }

    private static readonly (string, string)[] Strings =
    [
        ("empty", ""),
        ("70000 chars", Oversized),
        ("NUL", "a%00b"),
        ("invalid UTF-8", "%C3%28%FF"),
        ("encoded lone surrogate", "%ED%A0%80"),
        ("lone %", "%"),
        ("bad % escape", "%G1"),
        ("path traversal", "..%2F..%2F..%2Fetc%2Fpasswd"),
        ("glob", "fz*%3F%5B%5D%7B%7D%25"),
        ("ARN with dot segments", "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Aloadbalancer%2Fapp%2F..%2F..%2Fx"),
    ];

    private static readonly (string, string)[] Integers =
    [
        ("-1", "-1"),
        ("0", "0"),
        ("2^31", "2147483648"),
        ("-2^31-1", "-2147483649"),
        ("2^63", "9223372036854775808"),
        ("1e400", "1e400"),
        ("fraction", "1.5"),
        ("not a number", "abc"),
        ("empty", ""),
        ("leading space", "%201"),
        ("hex", "0x10"),
    ];

    private static bool Within(string parameter, string name) =>
        parameter == name || parameter.StartsWith(name + ".", StringComparison.Ordinal);

    private static List<(string Name, string Value)> Without(List<(string Name, string Value)> parameters, string name) =>
        [.. parameters.Where(p => !Within(p.Name, name))];

    private static IEnumerable<FuzzCase> WholeBody(AwsService service, string target, string action, List<(string Name, string Value)> input)
    {
        var version = service.Version!;
        var form = Encoding.UTF8.GetString(QueryFormWriter.Body(action, version, input));
        var bytes = Encoding.UTF8.GetBytes(form);
        var parameters = string.Concat(input.Select(p => $"&{p.Name}={p.Value}"));
        FuzzCase Case(string description, byte[] body) => new(target, description, body, service);
        FuzzCase Text(string description, string body) => Case(description, Encoding.UTF8.GetBytes(body));
        yield return Text("body: empty", "");
        yield return Text("body: no Action", $"Version={version}{parameters}");
        yield return Text("body: empty Action", $"Action=&Version={version}{parameters}");
        yield return Text("body: unknown Action", $"Action=NotAnAction&Version={version}{parameters}");
        yield return Text("body: lower-case Action", $"Action={action.ToLowerInvariant()}&Version={version}{parameters}");
        yield return Text("body: no Version", $"Action={action}{parameters}");
        yield return Text("body: wrong Version", $"Action={action}&Version=1999-01-01{parameters}");
        yield return Text("body: lone %", form + "&%");
        yield return Text("body: bad % escape in a name", form + "&%G1=1");
        yield return Text("body: name without =", form + "&Flag");
        yield return Text("body: empty name", form + "&=x");
        yield return Text("body: NUL name", form + "&%00=%00");
        yield return Text("body: 5000-part name", form + "&" + string.Join('.', Enumerable.Repeat("A", 5000)) + "=1");
        yield return Text("body: 10000 parameters", form + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"&P{i}=1")));
        yield return Text("body: JSON", """{"Action":"DescribeLoadBalancers"}""");
        yield return Text("body: over 2 MiB", form + "&Pad=" + new string('a', 2 * 1024 * 1024 + 1));
        yield return Case("body: invalid UTF-8", [.. bytes, .. "&Name="u8, 0xC3, 0x28, 0xFF]);
        yield return Case("body: byte order mark", [0xEF, 0xBB, 0xBF, .. bytes]);
        foreach (var cut in new[] { 1, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 }.Where(c => c > 0 && c < bytes.Length).Distinct())
        {
            yield return Case($"body: truncated at {cut} of {bytes.Length}", bytes[..cut]);
        }
    }
}
