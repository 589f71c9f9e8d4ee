using Gantry.Api.Front;
using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Declares the IAM awsQuery service (<see cref="IamModel"/>, signed for <c>iam</c>) and registers its operations:
/// server certificates, and identity management (users, groups, roles, managed and inline policies, access keys).</summary>
public static class IamOperations
{
    private const string Iam = IamModel.Name;

    public static AwsService Service { get; } = AwsService.Query(IamModel.Name, IamModel.SigningName, IamModel.Version, IamModel.XmlNamespace, IamModel.Errors);

    public static AwsOperationTable.Builder MapIam(this AwsOperationTable.Builder table, ServerCertificateOperations certificates, IamDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(table);
        table
            .Service(Service)
            .Map<UploadServerCertificateRequest, UploadServerCertificateResponse>(Iam, "UploadServerCertificate", (r, _, ct) => certificates.UploadAsync(r, ct))
            .Map<GetServerCertificateRequest, GetServerCertificateResponse>(Iam, "GetServerCertificate", (r, _, ct) => certificates.GetAsync(r, ct))
            .Map<ListServerCertificatesRequest, ListServerCertificatesResponse>(Iam, "ListServerCertificates", (r, _, ct) => certificates.ListAsync(r, ct))
            .Map<DeleteServerCertificateRequest>(Iam, "DeleteServerCertificate", (r, _, ct) => certificates.DeleteAsync(r, ct));
        var tags = new EntityTagOperations(directory);
        return table
            .MapUsers(new UserOperations(directory), tags, new AccessKeyOperations(directory))
            .MapGroups(new GroupOperations(directory))
            .MapRoles(new RoleOperations(directory), tags)
            .MapPolicies(new PolicyOperations(directory))
            .MapEntityPolicies(new EntityPolicyOperations(directory));
    }

    private static AwsOperationTable.Builder MapUsers(this AwsOperationTable.Builder table, UserOperations users, EntityTagOperations tags, AccessKeyOperations keys) => table
        .Map<CreateUserRequest, CreateUserResponse>(Iam, "CreateUser", (r, _, ct) => users.CreateAsync(r, ct))
        .Map<GetUserRequest, GetUserResponse>(Iam, "GetUser", users.GetAsync)
        .Map<ListUsersRequest, ListUsersResponse>(Iam, "ListUsers", (r, _, ct) => users.ListAsync(r, ct))
        .Map<UpdateUserRequest>(Iam, "UpdateUser", (r, _, ct) => users.UpdateAsync(r, ct))
        .Map<DeleteUserRequest>(Iam, "DeleteUser", (r, _, ct) => users.DeleteAsync(r, ct))
        .Map<TagUserRequest>(Iam, "TagUser", (r, _, ct) => tags.TagAsync(EntityKind.User, r.UserName, r.Tags, ct))
        .Map<UntagUserRequest>(Iam, "UntagUser", (r, _, ct) => tags.UntagAsync(EntityKind.User, r.UserName, r.TagKeys, ct))
        .Map<ListUserTagsRequest, ListUserTagsResponse>(Iam, "ListUserTags", (r, _, ct) => tags.ListAsync(EntityKind.User, r.UserName, r.Marker, r.MaxItems,
            (items, truncated, marker) => new ListUserTagsResponse { Tags = items, IsTruncated = truncated, Marker = marker }, ct))
        .Map<CreateAccessKeyRequest, CreateAccessKeyResponse>(Iam, "CreateAccessKey", keys.CreateAsync)
        .Map<ListAccessKeysRequest, ListAccessKeysResponse>(Iam, "ListAccessKeys", keys.ListAsync)
        .Map<UpdateAccessKeyRequest>(Iam, "UpdateAccessKey", keys.UpdateAsync)
        .Map<DeleteAccessKeyRequest>(Iam, "DeleteAccessKey", keys.DeleteAsync)
        .Map<GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse>(Iam, "GetAccessKeyLastUsed", (r, _, ct) => keys.LastUsedAsync(r, ct));

    private static AwsOperationTable.Builder MapGroups(this AwsOperationTable.Builder table, GroupOperations groups) => table
        .Map<CreateGroupRequest, CreateGroupResponse>(Iam, "CreateGroup", (r, _, ct) => groups.CreateAsync(r, ct))
        .Map<GetGroupRequest, GetGroupResponse>(Iam, "GetGroup", (r, _, ct) => groups.GetAsync(r, ct))
        .Map<ListGroupsRequest, ListGroupsResponse>(Iam, "ListGroups", (r, _, ct) => groups.ListAsync(r, ct))
        .Map<DeleteGroupRequest>(Iam, "DeleteGroup", (r, _, ct) => groups.DeleteAsync(r, ct))
        .Map<AddUserToGroupRequest>(Iam, "AddUserToGroup", (r, _, ct) => groups.AddUserAsync(r, ct))
        .Map<RemoveUserFromGroupRequest>(Iam, "RemoveUserFromGroup", (r, _, ct) => groups.RemoveUserAsync(r, ct))
        .Map<ListGroupsForUserRequest, ListGroupsForUserResponse>(Iam, "ListGroupsForUser", (r, _, ct) => groups.ListForUserAsync(r, ct));

    private static AwsOperationTable.Builder MapRoles(this AwsOperationTable.Builder table, RoleOperations roles, EntityTagOperations tags) => table
        .Map<CreateRoleRequest, CreateRoleResponse>(Iam, "CreateRole", (r, _, ct) => roles.CreateAsync(r, ct))
        .Map<GetRoleRequest, GetRoleResponse>(Iam, "GetRole", (r, _, ct) => roles.GetAsync(r, ct))
        .Map<ListRolesRequest, ListRolesResponse>(Iam, "ListRoles", (r, _, ct) => roles.ListAsync(r, ct))
        .Map<UpdateRoleRequest, UpdateRoleResponse>(Iam, "UpdateRole", (r, _, ct) => roles.UpdateAsync(r, ct))
        .Map<UpdateAssumeRolePolicyRequest>(Iam, "UpdateAssumeRolePolicy", (r, _, ct) => roles.UpdateTrustAsync(r, ct))
        .Map<DeleteRoleRequest>(Iam, "DeleteRole", (r, _, ct) => roles.DeleteAsync(r, ct))
        .Map<TagRoleRequest>(Iam, "TagRole", (r, _, ct) => tags.TagAsync(EntityKind.Role, r.RoleName, r.Tags, ct))
        .Map<UntagRoleRequest>(Iam, "UntagRole", (r, _, ct) => tags.UntagAsync(EntityKind.Role, r.RoleName, r.TagKeys, ct))
        .Map<ListRoleTagsRequest, ListRoleTagsResponse>(Iam, "ListRoleTags", (r, _, ct) => tags.ListAsync(EntityKind.Role, r.RoleName, r.Marker, r.MaxItems,
            (items, truncated, marker) => new ListRoleTagsResponse { Tags = items, IsTruncated = truncated, Marker = marker }, ct));

    private static AwsOperationTable.Builder MapPolicies(this AwsOperationTable.Builder table, PolicyOperations policies) => table
        .Map<CreatePolicyRequest, CreatePolicyResponse>(Iam, "CreatePolicy", (r, _, ct) => policies.CreateAsync(r, ct))
        .Map<GetPolicyRequest, GetPolicyResponse>(Iam, "GetPolicy", (r, _, ct) => policies.GetAsync(r, ct))
        .Map<ListPoliciesRequest, ListPoliciesResponse>(Iam, "ListPolicies", (r, _, ct) => policies.ListAsync(r, ct))
        .Map<DeletePolicyRequest>(Iam, "DeletePolicy", (r, _, ct) => policies.DeleteAsync(r, ct))
        .Map<CreatePolicyVersionRequest, CreatePolicyVersionResponse>(Iam, "CreatePolicyVersion", (r, _, ct) => policies.CreateVersionAsync(r, ct))
        .Map<GetPolicyVersionRequest, GetPolicyVersionResponse>(Iam, "GetPolicyVersion", (r, _, ct) => policies.GetVersionAsync(r, ct))
        .Map<ListPolicyVersionsRequest, ListPolicyVersionsResponse>(Iam, "ListPolicyVersions", (r, _, ct) => policies.ListVersionsAsync(r, ct))
        .Map<DeletePolicyVersionRequest>(Iam, "DeletePolicyVersion", (r, _, ct) => policies.DeleteVersionAsync(r, ct))
        .Map<SetDefaultPolicyVersionRequest>(Iam, "SetDefaultPolicyVersion", (r, _, ct) => policies.SetDefaultVersionAsync(r, ct))
        .Map<ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse>(Iam, "ListEntitiesForPolicy", (r, _, ct) => policies.ListEntitiesAsync(r, ct))
        .Map<TagPolicyRequest>(Iam, "TagPolicy", (r, _, ct) => policies.TagAsync(r, ct))
        .Map<UntagPolicyRequest>(Iam, "UntagPolicy", (r, _, ct) => policies.UntagAsync(r, ct))
        .Map<ListPolicyTagsRequest, ListPolicyTagsResponse>(Iam, "ListPolicyTags", (r, _, ct) => policies.ListTagsAsync(r, ct));

    private static AwsOperationTable.Builder MapEntityPolicies(this AwsOperationTable.Builder table, EntityPolicyOperations p) => table
        .Map<AttachUserPolicyRequest>(Iam, "AttachUserPolicy", (r, _, ct) => p.AttachAsync(EntityKind.User, r.UserName, r.PolicyArn, ct))
        .Map<DetachUserPolicyRequest>(Iam, "DetachUserPolicy", (r, _, ct) => p.DetachAsync(EntityKind.User, r.UserName, r.PolicyArn, ct))
        .Map<AttachGroupPolicyRequest>(Iam, "AttachGroupPolicy", (r, _, ct) => p.AttachAsync(EntityKind.Group, r.GroupName, r.PolicyArn, ct))
        .Map<DetachGroupPolicyRequest>(Iam, "DetachGroupPolicy", (r, _, ct) => p.DetachAsync(EntityKind.Group, r.GroupName, r.PolicyArn, ct))
        .Map<AttachRolePolicyRequest>(Iam, "AttachRolePolicy", (r, _, ct) => p.AttachAsync(EntityKind.Role, r.RoleName, r.PolicyArn, ct))
        .Map<DetachRolePolicyRequest>(Iam, "DetachRolePolicy", (r, _, ct) => p.DetachAsync(EntityKind.Role, r.RoleName, r.PolicyArn, ct))
        .Map<ListAttachedUserPoliciesRequest, ListAttachedUserPoliciesResponse>(Iam, "ListAttachedUserPolicies", (r, _, ct) => p.AttachedAsync(EntityKind.User,
            r.UserName, r.PathPrefix, r.Marker, r.MaxItems, (items, truncated, marker) => new ListAttachedUserPoliciesResponse { AttachedPolicies = items, IsTruncated = truncated, Marker = marker }, ct))
        .Map<ListAttachedGroupPoliciesRequest, ListAttachedGroupPoliciesResponse>(Iam, "ListAttachedGroupPolicies", (r, _, ct) => p.AttachedAsync(EntityKind.Group,
            r.GroupName, r.PathPrefix, r.Marker, r.MaxItems, (items, truncated, marker) => new ListAttachedGroupPoliciesResponse { AttachedPolicies = items, IsTruncated = truncated, Marker = marker }, ct))
        .Map<ListAttachedRolePoliciesRequest, ListAttachedRolePoliciesResponse>(Iam, "ListAttachedRolePolicies", (r, _, ct) => p.AttachedAsync(EntityKind.Role,
            r.RoleName, r.PathPrefix, r.Marker, r.MaxItems, (items, truncated, marker) => new ListAttachedRolePoliciesResponse { AttachedPolicies = items, IsTruncated = truncated, Marker = marker }, ct))
        .Map<PutUserPolicyRequest>(Iam, "PutUserPolicy", (r, _, ct) => p.PutAsync(EntityKind.User, r.UserName, r.PolicyName, r.PolicyDocument, ct))
        .Map<PutGroupPolicyRequest>(Iam, "PutGroupPolicy", (r, _, ct) => p.PutAsync(EntityKind.Group, r.GroupName, r.PolicyName, r.PolicyDocument, ct))
        .Map<PutRolePolicyRequest>(Iam, "PutRolePolicy", (r, _, ct) => p.PutAsync(EntityKind.Role, r.RoleName, r.PolicyName, r.PolicyDocument, ct))
        .Map<GetUserPolicyRequest, GetUserPolicyResponse>(Iam, "GetUserPolicy", (r, _, ct) => p.GetAsync(EntityKind.User, r.UserName, r.PolicyName,
            (user, policy, document) => new GetUserPolicyResponse { UserName = user, PolicyName = policy, PolicyDocument = document }, ct))
        .Map<GetGroupPolicyRequest, GetGroupPolicyResponse>(Iam, "GetGroupPolicy", (r, _, ct) => p.GetAsync(EntityKind.Group, r.GroupName, r.PolicyName,
            (group, policy, document) => new GetGroupPolicyResponse { GroupName = group, PolicyName = policy, PolicyDocument = document }, ct))
        .Map<GetRolePolicyRequest, GetRolePolicyResponse>(Iam, "GetRolePolicy", (r, _, ct) => p.GetAsync(EntityKind.Role, r.RoleName, r.PolicyName,
            (role, policy, document) => new GetRolePolicyResponse { RoleName = role, PolicyName = policy, PolicyDocument = document }, ct))
        .Map<DeleteUserPolicyRequest>(Iam, "DeleteUserPolicy", (r, _, ct) => p.DeleteAsync(EntityKind.User, r.UserName, r.PolicyName, ct))
        .Map<DeleteGroupPolicyRequest>(Iam, "DeleteGroupPolicy", (r, _, ct) => p.DeleteAsync(EntityKind.Group, r.GroupName, r.PolicyName, ct))
        .Map<DeleteRolePolicyRequest>(Iam, "DeleteRolePolicy", (r, _, ct) => p.DeleteAsync(EntityKind.Role, r.RoleName, r.PolicyName, ct))
        .Map<ListUserPoliciesRequest, ListUserPoliciesResponse>(Iam, "ListUserPolicies", (r, _, ct) => p.ListAsync(EntityKind.User, r.UserName, r.Marker, r.MaxItems,
            (names, truncated, marker) => new ListUserPoliciesResponse { PolicyNames = names, IsTruncated = truncated, Marker = marker }, ct))
        .Map<ListGroupPoliciesRequest, ListGroupPoliciesResponse>(Iam, "ListGroupPolicies", (r, _, ct) => p.ListAsync(EntityKind.Group, r.GroupName, r.Marker, r.MaxItems,
            (names, truncated, marker) => new ListGroupPoliciesResponse { PolicyNames = names, IsTruncated = truncated, Marker = marker }, ct))
        .Map<ListRolePoliciesRequest, ListRolePoliciesResponse>(Iam, "ListRolePolicies", (r, _, ct) => p.ListAsync(EntityKind.Role, r.RoleName, r.Marker, r.MaxItems,
            (names, truncated, marker) => new ListRolePoliciesResponse { PolicyNames = names, IsTruncated = truncated, Marker = marker }, ct));
}
