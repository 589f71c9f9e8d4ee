using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole.</summary>
public sealed class RoleOperations(IamDirectory iam)
{
    private const EntityKind Role = EntityKind.Role;

    public async Task<CreateRoleResponse> CreateAsync(CreateRoleRequest request, CancellationToken ct)
    {
        var name = IamInput.Name(request.RoleName, "roleName");
        var path = IamInput.Path(request.Path);
        IamShapes.NoBoundary(request.PermissionsBoundary);
        if (request.Description is { Length: > 1000 } description)
        {
            throw IamErrors.Length("description", description, 1000);
        }
        var role = await iam.Roles.CreateAsync(name, path, request.AssumeRolePolicyDocument ?? throw IamErrors.Missing("assumeRolePolicyDocument"),
            request.Description, request.MaxSessionDuration, IamShapes.Tags(request.Tags), ct).ConfigureAwait(false);
        return new CreateRoleResponse { Role = IamShapes.Role(iam.Store, role, full: false) with { Tags = IamShapes.TagsOrNull(role.Tags) } };
    }

    public async Task<GetRoleResponse> GetAsync(GetRoleRequest request, CancellationToken ct) =>
        new() { Role = IamShapes.Role(iam.Store, await iam.Entities.GetAsync(Role, IamInput.Name(request.RoleName, "roleName"), ct).ConfigureAwait(false), full: true) };

    public async Task<ListRolesResponse> ListAsync(ListRolesRequest request, CancellationToken ct)
    {
        var page = await iam.Entities.ListAsync(Role, request.PathPrefix, request.Marker, IamInput.MaxItems(request.MaxItems), ct).ConfigureAwait(false);
        return new ListRolesResponse { Roles = [.. page.Items.Select(r => IamShapes.Role(iam.Store, r, full: false))], IsTruncated = page.IsTruncated, Marker = page.Marker };
    }

    public async Task<UpdateRoleResponse> UpdateAsync(UpdateRoleRequest request, CancellationToken ct)
    {
        await iam.Roles.UpdateAsync(IamInput.Name(request.RoleName, "roleName"), request.Description, request.MaxSessionDuration, ct).ConfigureAwait(false);
        return new UpdateRoleResponse();
    }

    public Task UpdateTrustAsync(UpdateAssumeRolePolicyRequest request, CancellationToken ct) =>
        iam.Roles.UpdateTrustAsync(IamInput.Name(request.RoleName, "roleName"), request.PolicyDocument ?? throw IamErrors.Missing("policyDocument"), ct);

    public Task DeleteAsync(DeleteRoleRequest request, CancellationToken ct) =>
        iam.Entities.DeleteAsync(Role, IamInput.Name(request.RoleName, "roleName"), ct);
}
