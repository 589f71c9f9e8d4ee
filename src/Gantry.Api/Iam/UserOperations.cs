using Gantry.Api.Front;
using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>CreateUser, GetUser (the caller when no name is given: the account root answers as AWS's root does), ListUsers,
/// UpdateUser (rename, move), DeleteUser.</summary>
public sealed class UserOperations(IamDirectory iam)
{
    private const EntityKind User = EntityKind.User;

    public async Task<CreateUserResponse> CreateAsync(CreateUserRequest request, CancellationToken ct)
    {
        var name = IamInput.Name(request.UserName, "userName");
        var path = IamInput.Path(request.Path);
        var tags = IamInput.Tag([], IamShapes.Tags(request.Tags));
        IamShapes.NoBoundary(request.PermissionsBoundary);
        var user = await iam.Entities.CreateAsync(User, name, (id, now) => new IamEntity(User, name, id, path, now) { Tags = tags }, ct).ConfigureAwait(false);
        return new CreateUserResponse { User = IamShapes.User(iam.Store, user, withTags: true) };
    }

    public async Task<GetUserResponse> GetAsync(GetUserRequest request, AwsCallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        string name;
        if (request.UserName is null)
        {
            var owner = await IamCaller.OwnerAsync(iam, call, ct).ConfigureAwait(false);
            if (owner.IsRoot)
            {
                var account = iam.Store.Account;
                return new GetUserResponse { User = new User { UserId = account.AccountId, Arn = account.Root } };
            }
            name = owner.UserName;
        }
        else
        {
            name = IamInput.Name(request.UserName, "userName");
        }
        var user = await iam.Entities.GetAsync(User, name, ct).ConfigureAwait(false);
        return new GetUserResponse { User = IamShapes.User(iam.Store, user, withTags: true) };
    }

    public async Task<ListUsersResponse> ListAsync(ListUsersRequest request, CancellationToken ct)
    {
        var page = await iam.Entities.ListAsync(User, request.PathPrefix, request.Marker, IamInput.MaxItems(request.MaxItems), ct).ConfigureAwait(false);
        return new ListUsersResponse { Users = [.. page.Items.Select(u => IamShapes.User(iam.Store, u))], IsTruncated = page.IsTruncated, Marker = page.Marker };
    }

    public Task UpdateAsync(UpdateUserRequest request, CancellationToken ct)
    {
        var name = IamInput.Name(request.UserName, "userName");
        var newName = request.NewUserName is null ? null : IamInput.Name(request.NewUserName, "newUserName");
        var newPath = request.NewPath is null ? null : IamInput.Path(request.NewPath, "newPath");
        return iam.Users.UpdateAsync(name, newName, newPath, ct);
    }

    public Task DeleteAsync(DeleteUserRequest request, CancellationToken ct) =>
        iam.Entities.DeleteAsync(User, IamInput.Name(request.UserName, "userName"), ct);
}
