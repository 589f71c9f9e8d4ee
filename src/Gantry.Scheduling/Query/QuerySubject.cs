using System.Globalization;

namespace Gantry.Scheduling.Query;

/// <summary>What a comparison looks at on a container instance.</summary>
internal sealed record QuerySubject
{
    private const string AttributePrefix = "attribute:";

    private QuerySubject(SubjectKind kind, string text, string? attributeName = null)
    {
        Kind = kind;
        Text = text;
        AttributeName = attributeName;
    }

    private enum SubjectKind
    {
        Attribute,
        Ec2InstanceId,
        AgentConnected,
        RunningTasksCount,
        TaskGroup,
    }

    private SubjectKind Kind { get; }

    /// <summary>The subject as written.</summary>
    public string Text { get; }

    private string? AttributeName { get; }

    /// <summary>Recognises a subject word.</summary>
    /// <exception cref="ClusterQueryException">Not a subject Gantry knows.</exception>
    public static QuerySubject Parse(string word, int position)
    {
        if (word.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase))
        {
            string name = word[AttributePrefix.Length..];
            if (name.Length == 0)
            {
                throw new ClusterQueryException(
                    $"Expected an attribute name after 'attribute:' at position {position + AttributePrefix.Length}.",
                    position + AttributePrefix.Length);
            }

            return new QuerySubject(SubjectKind.Attribute, word, name);
        }

        if (Is(word, "ec2InstanceId"))
        {
            return new QuerySubject(SubjectKind.Ec2InstanceId, word);
        }

        if (Is(word, "agentConnected"))
        {
            return new QuerySubject(SubjectKind.AgentConnected, word);
        }

        if (Is(word, "runningTasksCount"))
        {
            return new QuerySubject(SubjectKind.RunningTasksCount, word);
        }

        if (Is(word, "task:group"))
        {
            return new QuerySubject(SubjectKind.TaskGroup, word);
        }

        if (Is(word, "agentVersion") || Is(word, "registeredAt"))
        {
            throw new ClusterQueryException(
                $"The subject '{word}' at position {position} is not supported by Gantry's scheduler.", position);
        }

        throw new ClusterQueryException(
            $"Unknown subject '{word}' at position {position}; expected attribute:NAME, ec2InstanceId, agentConnected, "
            + "runningTasksCount or task:group.",
            position);
    }

    /// <summary>The subject's values on the instance; empty when the instance lacks the subject.</summary>
    public IReadOnlyList<string> ValuesOf(Candidate candidate)
    {
        switch (Kind)
        {
            case SubjectKind.Attribute:
                return candidate.Attributes.TryGetValue(AttributeName!, out string? value) ? [value ?? string.Empty] : [];
            case SubjectKind.Ec2InstanceId:
                return string.IsNullOrEmpty(candidate.Ec2InstanceId) ? [] : [candidate.Ec2InstanceId];
            case SubjectKind.AgentConnected:
                return [candidate.Connected ? "true" : "false"];
            case SubjectKind.RunningTasksCount:
                return [candidate.Tasks.Count.ToString(CultureInfo.InvariantCulture)];
            default:
                return [.. candidate.Tasks.Select(t => t.Group).Distinct(StringComparer.Ordinal)];
        }
    }

    public override string ToString() => Text;

    private static bool Is(string word, string subject) => string.Equals(word, subject, StringComparison.OrdinalIgnoreCase);
}
