using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Tag*, Untag*, List*Tags of users and roles alike; the mapping names the kind.</summary>
public sealed class EntityTagOperations(IamDirectory iam)
{
    public Task TagAsync(EntityKind kind, string? name, IReadOnlyList<IamTag>? tags, CancellationToken ct) =>
        iam.Entities.TagAsync(kind, Name(kind, name), IamShapes.Tags(tags ?? throw IamErrors.Missing("tags")), ct);

    public Task UntagAsync(EntityKind kind, string? name, IReadOnlyList<string>? keys, CancellationToken ct) =>
        iam.Entities.UntagAsync(kind, Name(kind, name), keys ?? throw IamErrors.Missing("tagKeys"), ct);

    /// <summary>A page of the entity's tags, as <paramref name="answer"/> shapes it.</summary>
    public async Task<T> ListAsync<T>(EntityKind kind, string? name, string? marker, int? maxItems, Func<IReadOnlyList<IamTag>, bool, string?, T> answer,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var entity = await iam.Entities.GetAsync(kind, Name(kind, name), ct).ConfigureAwait(false);
        var (tags, truncated, next) = IamShapes.TagPage(entity.Tags, marker, maxItems);
        return answer(tags, truncated, next);
    }

    private static string Name(EntityKind kind, string? name) => IamInput.Name(name, kind.ToString().ToLowerInvariant() + "Name");
}
