using Gantry.Iam.Policies;

namespace Gantry.Iam;

/// <summary>What only roles have: a trust policy (checked as a resource policy), a description and a longest session.</summary>
public sealed class IamRoles(IamEntities entities)
{
    public const int DefaultMaxSession = 3600;

    public Task<IamEntity> CreateAsync(string name, string path, string trustPolicy, string? description, int? maxSessionDuration,
        IReadOnlyList<IamTagValue> tags, CancellationToken ct)
    {
        IamInput.Document(trustPolicy, "assumeRolePolicyDocument", PolicyKind.Resource);
        var session = MaxSession(maxSessionDuration) ?? DefaultMaxSession;
        var tagged = IamInput.Tag([], tags);
        return entities.CreateAsync(EntityKind.Role, name, (id, now) => new IamEntity(EntityKind.Role, name, id, path, now)
        {
            TrustPolicy = trustPolicy,
            Description = description,
            MaxSessionDuration = session,
            Tags = tagged,
        }, ct);
    }

    public Task UpdateAsync(string name, string? description, int? maxSessionDuration, CancellationToken ct)
    {
        var session = MaxSession(maxSessionDuration);
        return entities.UpdateAsync(EntityKind.Role, name, r => r with
        {
            Description = description ?? r.Description,
            MaxSessionDuration = session ?? r.MaxSessionDuration,
        }, ct);
    }

    public Task UpdateTrustAsync(string name, string trustPolicy, CancellationToken ct)
    {
        IamInput.Document(trustPolicy, "policyDocument", PolicyKind.Resource);
        return entities.UpdateAsync(EntityKind.Role, name, r => r with { TrustPolicy = trustPolicy }, ct);
    }

    private static int? MaxSession(int? seconds) => seconds switch
    {
        null => null,
        < 3600 => throw IamErrors.Validation(
            $"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"),
        > 43200 => throw IamErrors.Validation(
            $"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"),
        _ => seconds,
    };
}
