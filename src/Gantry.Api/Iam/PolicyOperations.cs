using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Customer managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, the version operations,
/// ListEntitiesForPolicy, TagPolicy, UntagPolicy, ListPolicyTags. Only local policies exist (Scope AWS lists none).</summary>
public sealed class PolicyOperations(IamDirectory iam)
{
    public async Task<CreatePolicyResponse> CreateAsync(CreatePolicyRequest request, CancellationToken ct)
    {
        var name = IamInput.Name(request.PolicyName, "policyName", 128);
        var path = IamInput.Path(request.Path);
        if (request.Description is { Length: > 1000 } description)
        {
            throw IamErrors.Length("description", description, 1000);
        }
        var policy = await iam.Policies.CreateAsync(name, path, request.PolicyDocument ?? throw IamErrors.Missing("policyDocument"), request.Description,
            IamShapes.Tags(request.Tags), ct).ConfigureAwait(false);
        return new CreatePolicyResponse { Policy = IamShapes.Policy(iam.Store, policy, full: false) with { Tags = IamShapes.TagsOrNull(policy.Tags) } };
    }

    public async Task<GetPolicyResponse> GetAsync(GetPolicyRequest request, CancellationToken ct) =>
        new() { Policy = IamShapes.Policy(iam.Store, await iam.Policies.GetAsync(Arn(request.PolicyArn), ct).ConfigureAwait(false), full: true) };

    public async Task<ListPoliciesResponse> ListAsync(ListPoliciesRequest request, CancellationToken ct)
    {
        var max = IamInput.MaxItems(request.MaxItems);
        var scope = request.Scope ?? policyScopeTypeValues._All;
        if (!policyScopeTypeValues.All.Contains(scope))
        {
            throw IamErrors.Validation(
                $"1 validation error detected: Value '{scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
        }
        if (scope == policyScopeTypeValues.AWS)
        {
            return new ListPoliciesResponse { Policies = [], IsTruncated = false };
        }
        var page = await iam.Policies.ListAsync(request.PathPrefix, request.OnlyAttached == true, request.Marker, max, ct).ConfigureAwait(false);
        return new ListPoliciesResponse { Policies = [.. page.Items.Select(p => IamShapes.Policy(iam.Store, p, full: false))], IsTruncated = page.IsTruncated, Marker = page.Marker };
    }

    public Task DeleteAsync(DeletePolicyRequest request, CancellationToken ct) => iam.Policies.DeleteAsync(Arn(request.PolicyArn), ct);

    public async Task<CreatePolicyVersionResponse> CreateVersionAsync(CreatePolicyVersionRequest request, CancellationToken ct)
    {
        var arn = Arn(request.PolicyArn);
        var version = await iam.Policies.CreateVersionAsync(arn, request.PolicyDocument ?? throw IamErrors.Missing("policyDocument"), request.SetAsDefault == true, ct)
            .ConfigureAwait(false);
        return new CreatePolicyVersionResponse
        {
            PolicyVersion = new PolicyVersion { VersionId = version.VersionId, IsDefaultVersion = request.SetAsDefault == true, CreateDate = version.CreatedAt },
        };
    }

    public async Task<GetPolicyVersionResponse> GetVersionAsync(GetPolicyVersionRequest request, CancellationToken ct)
    {
        var (policy, version) = await iam.Policies.GetVersionAsync(Arn(request.PolicyArn), VersionId(request.VersionId), ct).ConfigureAwait(false);
        return new GetPolicyVersionResponse { PolicyVersion = IamShapes.Version(policy, version, withDocument: true) };
    }

    public async Task<ListPolicyVersionsResponse> ListVersionsAsync(ListPolicyVersionsRequest request, CancellationToken ct)
    {
        var max = IamInput.MaxItems(request.MaxItems);
        var policy = await iam.Policies.GetAsync(Arn(request.PolicyArn), ct).ConfigureAwait(false);
        var newestFirst = policy.Versions.OrderByDescending(v => int.Parse(v.VersionId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var page = IamPages.Of(newestFirst, v => v.VersionId, request.Marker, max);
        return new ListPolicyVersionsResponse
        {
            Versions = [.. page.Items.Select(v => IamShapes.Version(policy, v, withDocument: false))],
            IsTruncated = page.IsTruncated,
            Marker = page.Marker,
        };
    }

    public Task DeleteVersionAsync(DeletePolicyVersionRequest request, CancellationToken ct) =>
        iam.Policies.DeleteVersionAsync(Arn(request.PolicyArn), VersionId(request.VersionId), ct);

    public Task SetDefaultVersionAsync(SetDefaultPolicyVersionRequest request, CancellationToken ct) =>
        iam.Policies.SetDefaultVersionAsync(Arn(request.PolicyArn), VersionId(request.VersionId), ct);

    public async Task<ListEntitiesForPolicyResponse> ListEntitiesAsync(ListEntitiesForPolicyRequest request, CancellationToken ct)
    {
        var max = IamInput.MaxItems(request.MaxItems);
        var policy = await iam.Policies.GetAsync(Arn(request.PolicyArn), ct).ConfigureAwait(false);
        var kinds = request.EntityFilter switch
        {
            null or EntityTypeValues.LocalManagedPolicy => [EntityKind.User, EntityKind.Group, EntityKind.Role],
            EntityTypeValues.User => [EntityKind.User],
            EntityTypeValues.Group => [EntityKind.Group],
            EntityTypeValues.Role => [EntityKind.Role],
            EntityTypeValues.AWSManagedPolicy => Array.Empty<EntityKind>(),
            var other => throw IamErrors.Validation(
                $"1 validation error detected: Value '{other}' at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]"),
        };
        var attached = new List<IamEntity>();
        foreach (var kind in kinds)
        {
            var names = policy.Attachments.Where(a => a.Kind == kind).Select(a => a.Name);
            attached.AddRange((await iam.Users.ResolveAsync(kind, names, ct).ConfigureAwait(false))
                .Where(e => e.Path.StartsWith(request.PathPrefix ?? "/", StringComparison.Ordinal)));
        }
        var page = IamPages.Of(attached.OrderBy(e => e.Kind).ThenBy(e => e.Name, StringComparer.Ordinal), e => $"{(int)e.Kind}:{e.Name}", request.Marker, max);
        return new ListEntitiesForPolicyResponse
        {
            PolicyUsers = [.. page.Items.Where(e => e.Kind == EntityKind.User).Select(e => new PolicyUser { UserName = e.Name, UserId = e.Id })],
            PolicyGroups = [.. page.Items.Where(e => e.Kind == EntityKind.Group).Select(e => new PolicyGroup { GroupName = e.Name, GroupId = e.Id })],
            PolicyRoles = [.. page.Items.Where(e => e.Kind == EntityKind.Role).Select(e => new PolicyRole { RoleName = e.Name, RoleId = e.Id })],
            IsTruncated = page.IsTruncated,
            Marker = page.Marker,
        };
    }

    public Task TagAsync(TagPolicyRequest request, CancellationToken ct) =>
        iam.Policies.TagAsync(Arn(request.PolicyArn), IamShapes.Tags(request.Tags ?? throw IamErrors.Missing("tags")), ct);

    public Task UntagAsync(UntagPolicyRequest request, CancellationToken ct) =>
        iam.Policies.UntagAsync(Arn(request.PolicyArn), request.TagKeys ?? throw IamErrors.Missing("tagKeys"), ct);

    public async Task<ListPolicyTagsResponse> ListTagsAsync(ListPolicyTagsRequest request, CancellationToken ct)
    {
        var policy = await iam.Policies.GetAsync(Arn(request.PolicyArn), ct).ConfigureAwait(false);
        var (tags, truncated, marker) = IamShapes.TagPage(policy.Tags, request.Marker, request.MaxItems);
        return new ListPolicyTagsResponse { Tags = tags, IsTruncated = truncated, Marker = marker };
    }

    public static string Arn(string? arn) => arn switch
    {
        null => throw IamErrors.Missing("policyArn"),
        { Length: < 20 } => throw IamErrors.Validation(
            $"1 validation error detected: Value '{arn}' at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20"),
        { Length: > 2048 } => throw IamErrors.Length("policyArn", arn, 2048),
        _ when !arn.StartsWith("arn:", StringComparison.Ordinal) => throw IamErrors.InvalidInput($"ARN {arn} is not valid."),
        _ => arn,
    };

    private static string VersionId(string? versionId) => versionId switch
    {
        null => throw IamErrors.Missing("versionId"),
        _ when System.Text.RegularExpressions.Regex.IsMatch(versionId, @"^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$") => versionId,
        _ => throw IamErrors.Pattern("versionId", versionId, "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"),
    };
}
