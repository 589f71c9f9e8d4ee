using System.Text.Json.Nodes;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>How to reach a value from its parent: a structure member, the first list element, or a map value.</summary>
public enum StepKind
{
    Member,
    Element,
    MapValue,
}

/// <summary>One step of a <see cref="MemberPath"/> and the shape of the value it reaches.</summary>
public sealed record PathStep(StepKind Kind, string Name, string ShapeId);

/// <summary>A value inside an operation's input, e.g. <c>containerDefinitions[0].dockerLabels['k']</c>.</summary>
public sealed record MemberPath(IReadOnlyList<PathStep> Steps)
{
    public string ShapeId => Steps[^1].ShapeId;

    public MemberPath Then(PathStep step) => new([.. Steps, step]);

    /// <summary>Puts <paramref name="value"/> at this path in <paramref name="root"/>, creating plausible containers on the way.</summary>
    public void Set(JsonObject root, JsonNode value, Func<PathStep, JsonNode?> plausible)
    {
        JsonNode parent = root;
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var last = i == Steps.Count - 1;
            switch (step.Kind)
            {
                case StepKind.Member:
                    var structure = (JsonObject)parent;
                    if (last)
                    {
                        structure[step.Name] = value;
                        return;
                    }
                    parent = Container(structure[step.Name], Steps[i + 1].Kind) ?? (structure[step.Name] = plausible(step))!;
                    break;
                case StepKind.Element:
                    var list = (JsonArray)parent;
                    if (list.Count == 0)
                    {
                        list.Add(plausible(step));
                    }
                    if (last)
                    {
                        list[0] = value;
                        return;
                    }
                    parent = Container(list[0], Steps[i + 1].Kind) ?? (list[0] = plausible(step))!;
                    break;
                case StepKind.MapValue:
                    var map = (JsonObject)parent;
                    var key = map.Count > 0 ? map.First().Key : step.Name;
                    if (last)
                    {
                        map[key] = value;
                        return;
                    }
                    parent = Container(map[key], Steps[i + 1].Kind) ?? (map[key] = plausible(step))!;
                    break;
            }
        }
    }

    /// <summary><paramref name="node"/> when it can hold the next step (an array for an element, an object otherwise).</summary>
    private static JsonNode? Container(JsonNode? node, StepKind next) => next == StepKind.Element
        ? node as JsonArray
        : node as JsonObject;

    public override string ToString() => string.Concat(Steps.Select((s, i) => s.Kind switch
    {
        StepKind.Member => i == 0 ? s.Name : $".{s.Name}",
        StepKind.Element => "[0]",
        _ => $"['{s.Name}']",
    }));
}
