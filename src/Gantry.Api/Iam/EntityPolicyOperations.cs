using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>
/// The policies of users, groups and roles alike: Attach/Detach*Policy, ListAttached*Policies, and the inline
/// Put/Get/Delete/List*Policy (documents checked as identity policies). The mapping names the kind and its field.
/// </summary>
public sealed class EntityPolicyOperations(IamDirectory iam)
{
    public Task AttachAsync(EntityKind kind, string? name, string? policyArn, CancellationToken ct) =>
        iam.Entities.AttachAsync(kind, Name(kind, name), PolicyOperations.Arn(policyArn), ct);

    public Task DetachAsync(EntityKind kind, string? name, string? policyArn, CancellationToken ct) =>
        iam.Entities.DetachAsync(kind, Name(kind, name), PolicyOperations.Arn(policyArn), ct);

    /// <summary>A page of the managed policies attached, in name order, as <paramref name="answer"/> shapes it.</summary>
    public async Task<T> AttachedAsync<T>(EntityKind kind, string? name, string? pathPrefix, string? marker, int? maxItems,
        Func<IReadOnlyList<AttachedPolicy>, bool, string?, T> answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var max = IamInput.MaxItems(maxItems);
        var policies = await iam.Entities.AttachedAsync(kind, Name(kind, name), pathPrefix, ct).ConfigureAwait(false);
        var page = IamPages.Of(policies.OrderBy(p => p.Name, StringComparer.Ordinal), p => p.Name, marker, max);
        return answer([.. page.Items.Select(p => IamShapes.Attached(iam.Store, p))], page.IsTruncated, page.Marker);
    }

    public Task PutAsync(EntityKind kind, string? name, string? policyName, string? document, CancellationToken ct) =>
        iam.Entities.PutInlineAsync(kind, Name(kind, name), PolicyName(policyName), document ?? throw IamErrors.Missing("policyDocument"), ct);

    /// <summary>The entity's name, the inline policy's name and its document (URL-encoded, as IAM answers), as <paramref name="answer"/> shapes them.</summary>
    public async Task<T> GetAsync<T>(EntityKind kind, string? name, string? policyName, Func<string, string, string, T> answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var entity = Name(kind, name);
        var policy = PolicyName(policyName);
        return answer(entity, policy, IamShapes.Encode(await iam.Entities.GetInlineAsync(kind, entity, policy, ct).ConfigureAwait(false)));
    }

    public Task DeleteAsync(EntityKind kind, string? name, string? policyName, CancellationToken ct) =>
        iam.Entities.DeleteInlineAsync(kind, Name(kind, name), PolicyName(policyName), ct);

    /// <summary>A page of the inline policies' names, as <paramref name="answer"/> shapes it.</summary>
    public async Task<T> ListAsync<T>(EntityKind kind, string? name, string? marker, int? maxItems, Func<IReadOnlyList<string>, bool, string?, T> answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var page = await iam.Entities.ListInlineAsync(kind, Name(kind, name), marker, IamInput.MaxItems(maxItems), ct).ConfigureAwait(false);
        return answer(page.Items, page.IsTruncated, page.Marker);
    }

    private static string Name(EntityKind kind, string? name) =>
        IamInput.Name(name, kind.ToString().ToLowerInvariant() + "Name", kind == EntityKind.Role ? 64 : 128);

    private static string PolicyName(string? name) => IamInput.Name(name, "policyName", 128);
}
