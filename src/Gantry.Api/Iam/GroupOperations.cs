using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>CreateGroup, GetGroup (with its users), ListGroups, DeleteGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.</summary>
public sealed class GroupOperations(IamDirectory iam)
{
    private const EntityKind Group = EntityKind.Group;

    public async Task<CreateGroupResponse> CreateAsync(CreateGroupRequest request, CancellationToken ct)
    {
        var name = IamInput.Name(request.GroupName, "groupName", 128);
        var path = IamInput.Path(request.Path);
        var group = await iam.Entities.CreateAsync(Group, name, (id, now) => new IamEntity(Group, name, id, path, now), ct).ConfigureAwait(false);
        return new CreateGroupResponse { Group = IamShapes.Group(iam.Store, group) };
    }

    public async Task<GetGroupResponse> GetAsync(GetGroupRequest request, CancellationToken ct)
    {
        var group = await iam.Entities.GetAsync(Group, IamInput.Name(request.GroupName, "groupName", 128), ct).ConfigureAwait(false);
        var page = IamPages.Of(group.Members, m => m, request.Marker, IamInput.MaxItems(request.MaxItems));
        var users = await iam.Users.ResolveAsync(EntityKind.User, page.Items, ct).ConfigureAwait(false);
        return new GetGroupResponse
        {
            Group = IamShapes.Group(iam.Store, group),
            Users = [.. users.Select(u => IamShapes.User(iam.Store, u))],
            IsTruncated = page.IsTruncated,
            Marker = page.Marker,
        };
    }

    public async Task<ListGroupsResponse> ListAsync(ListGroupsRequest request, CancellationToken ct)
    {
        var page = await iam.Entities.ListAsync(Group, request.PathPrefix, request.Marker, IamInput.MaxItems(request.MaxItems), ct).ConfigureAwait(false);
        return new ListGroupsResponse { Groups = [.. page.Items.Select(g => IamShapes.Group(iam.Store, g))], IsTruncated = page.IsTruncated, Marker = page.Marker };
    }

    public Task DeleteAsync(DeleteGroupRequest request, CancellationToken ct) =>
        iam.Entities.DeleteAsync(Group, IamInput.Name(request.GroupName, "groupName", 128), ct);

    public Task AddUserAsync(AddUserToGroupRequest request, CancellationToken ct) =>
        iam.Users.AddToGroupAsync(IamInput.Name(request.GroupName, "groupName", 128), IamInput.Name(request.UserName, "userName", 128), ct);

    public Task RemoveUserAsync(RemoveUserFromGroupRequest request, CancellationToken ct) =>
        iam.Users.RemoveFromGroupAsync(IamInput.Name(request.GroupName, "groupName", 128), IamInput.Name(request.UserName, "userName", 128), ct);

    public async Task<ListGroupsForUserResponse> ListForUserAsync(ListGroupsForUserRequest request, CancellationToken ct)
    {
        var user = await iam.Entities.GetAsync(EntityKind.User, IamInput.Name(request.UserName, "userName", 128), ct).ConfigureAwait(false);
        var page = IamPages.Of(user.Groups.Order(StringComparer.Ordinal), g => g, request.Marker, IamInput.MaxItems(request.MaxItems));
        var groups = await iam.Users.ResolveAsync(Group, page.Items, ct).ConfigureAwait(false);
        return new ListGroupsForUserResponse { Groups = [.. groups.Select(g => IamShapes.Group(iam.Store, g))], IsTruncated = page.IsTruncated, Marker = page.Marker };
    }
}
