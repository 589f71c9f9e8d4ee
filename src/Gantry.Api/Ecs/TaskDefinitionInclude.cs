using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>The DescribeTaskDefinition <c>include</c> option: only TAGS exists.</summary>
public static class TaskDefinitionInclude
{
    public static bool Tags(IReadOnlyList<string>? include)
    {
        var tags = false;
        foreach (var field in include ?? [])
        {
            tags = field == "TAGS" ? true : throw EcsErrors.InvalidParameter($"Invalid include value '{field}'. Valid values: TAGS.");
        }
        return tags;
    }
}
