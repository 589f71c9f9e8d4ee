using Gantry.Auth.Keys;
using Gantry.Domain.Errors;

namespace Gantry.Iam.Tests;

public sealed class IamDirectoryTests : IAsyncLifetime
{
    private readonly IamTestStore _t = new();

    public Task InitializeAsync() => _t.InitializeAsync();

    public Task DisposeAsync() => _t.DisposeAsync();

    private IamDirectory Iam => _t.Iam;

    private static async Task<AwsException> Refused(string type, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<AwsException>(action);
        Assert.Equal(type, error.Type);
        return error;
    }

    [Fact]
    public async Task Ids_have_IAMs_prefixes_and_length()
    {
        Assert.Matches("^AIDA[A-Z2-7]{17}$", (await _t.UserAsync("alice")).Id);
        Assert.Matches("^AGPA[A-Z2-7]{17}$", (await _t.GroupAsync("devs")).Id);
        Assert.Matches("^AROA[A-Z2-7]{17}$", (await Iam.Roles.CreateAsync("app", "/", IamTestStore.Trust, null, null, [], default)).Id);
        var policy = await Iam.Policies.GetAsync(await _t.PolicyAsync("p"), default);
        Assert.Matches("^ANPA[A-Z2-7]{17}$", policy.Id);
    }

    [Fact]
    public async Task A_user_sees_its_inline_attached_and_group_policies()
    {
        await _t.UserAsync("alice");
        await _t.GroupAsync("devs");
        await Iam.Users.AddToGroupAsync("devs", "alice", default);
        var direct = await _t.PolicyAsync("direct");
        var logs = IamTestStore.Allow.Replace("ecs:*", "logs:*", StringComparison.Ordinal);
        var viaGroup = await _t.PolicyAsync("via-group", logs);
        await Iam.Entities.AttachAsync(EntityKind.User, "alice", direct, default);
        await Iam.Entities.AttachAsync(EntityKind.Group, "devs", viaGroup, default);
        var inline = IamTestStore.Allow.Replace("ecs:*", "ecr:*", StringComparison.Ordinal);
        await Iam.Entities.PutInlineAsync(EntityKind.User, "alice", "mine", inline, default);
        var newer = IamTestStore.Allow.Replace("ecs:*", "ecs:List*", StringComparison.Ordinal);
        await Iam.Policies.CreateVersionAsync(direct, newer, setAsDefault: true, default);

        var alice = await Iam.FindUserAsync("alice", default);

        Assert.Equal("arn:aws:iam::000000000000:user/alice", alice!.Arn);
        Assert.Equal([inline, newer, logs], alice.PolicyDocuments);
        Assert.Null(await Iam.FindUserAsync("bob", default));
    }

    [Fact]
    public async Task A_role_is_found_by_name_or_arn_with_its_trust_and_policies()
    {
        await Iam.Roles.CreateAsync("app", "/service/", IamTestStore.Trust, "the app", 7200, [new IamTagValue("team", "a")], default);
        await Iam.Entities.AttachAsync(EntityKind.Role, "app", await _t.PolicyAsync("p"), default);

        var byName = await Iam.FindRoleAsync("app", default);
        var byArn = await Iam.FindRoleAsync("arn:aws:iam::000000000000:role/service/app", default);

        Assert.Equal(byName!.RoleId, byArn!.RoleId);
        Assert.Equal((IamTestStore.Trust, 7200, "a"), (byArn.TrustPolicyDocument, byArn.MaxSessionDurationSeconds, byArn.Tags["team"]));
        Assert.Equal([IamTestStore.Allow], byArn.PolicyDocuments);
        Assert.Null(await Iam.FindRoleAsync("arn:aws:iam::000000000000:role/other-path/app", default));
    }

    [Fact]
    public async Task Every_committed_write_bumps_the_generation_and_reads_do_not()
    {
        var before = Iam.Generation;
        await _t.UserAsync("alice");
        var afterCreate = Iam.Generation;
        await Iam.FindUserAsync("alice", default);
        await Refused("EntityAlreadyExistsException", () => _t.UserAsync("alice"));
        Assert.Equal(afterCreate, Iam.Generation);
        await Iam.Entities.TagAsync(EntityKind.User, "alice", [new IamTagValue("k", "v")], default);
        Assert.True(afterCreate > before && Iam.Generation > afterCreate);
    }

    [Fact]
    public async Task Deleting_a_user_is_refused_while_keys_groups_or_policies_remain()
    {
        await _t.UserAsync("alice");
        await _t.GroupAsync("devs");
        var key = await Iam.AccessKeys.CreateAsync("alice", default);
        Assert.Equal("Cannot delete entity, must delete access keys first.",
            (await Refused("DeleteConflictException", () => Iam.Entities.DeleteAsync(EntityKind.User, "alice", default))).Message);
        await Iam.AccessKeys.DeleteAsync("alice", key.AccessKeyId, default);
        await Iam.Users.AddToGroupAsync("devs", "alice", default);
        Assert.Equal("Cannot delete entity, must remove users from group first.",
            (await Refused("DeleteConflictException", () => Iam.Entities.DeleteAsync(EntityKind.User, "alice", default))).Message);
        Assert.Equal("Cannot delete entity, must remove users from group first.",
            (await Refused("DeleteConflictException", () => Iam.Entities.DeleteAsync(EntityKind.Group, "devs", default))).Message);
        await Iam.Users.RemoveFromGroupAsync("devs", "alice", default);
        var policy = await _t.PolicyAsync("p");
        await Iam.Entities.AttachAsync(EntityKind.User, "alice", policy, default);
        Assert.Equal("Cannot delete entity, must detach all policies first.",
            (await Refused("DeleteConflictException", () => Iam.Entities.DeleteAsync(EntityKind.User, "alice", default))).Message);
        Assert.Equal("Cannot delete a policy attached to entities.",
            (await Refused("DeleteConflictException", () => Iam.Policies.DeleteAsync(policy, default))).Message);
        await Iam.Entities.DetachAsync(EntityKind.User, "alice", policy, default);
        await Iam.Entities.PutInlineAsync(EntityKind.User, "alice", "inline", IamTestStore.Allow, default);
        Assert.Equal("Cannot delete entity, must delete policies first.",
            (await Refused("DeleteConflictException", () => Iam.Entities.DeleteAsync(EntityKind.User, "alice", default))).Message);
        await Iam.Entities.DeleteInlineAsync(EntityKind.User, "alice", "inline", default);

        await Iam.Entities.DeleteAsync(EntityKind.User, "alice", default);
        await Iam.Policies.DeleteAsync(policy, default);
        Assert.Equal("The user with name alice cannot be found.",
            (await Refused("NoSuchEntityException", () => Iam.Entities.GetAsync(EntityKind.User, "alice", default))).Message);
    }

    [Fact]
    public async Task A_policy_keeps_at_most_five_versions_and_never_loses_its_default()
    {
        var arn = await _t.PolicyAsync("p");
        for (var i = 2; i <= 5; i++)
        {
            Assert.Equal($"v{i}", (await Iam.Policies.CreateVersionAsync(arn, IamTestStore.Allow, setAsDefault: false, default)).VersionId);
        }
        Assert.Equal("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
            (await Refused("LimitExceededException", () => Iam.Policies.CreateVersionAsync(arn, IamTestStore.Allow, false, default))).Message);
        Assert.Equal("Cannot delete the default version of a policy.",
            (await Refused("DeleteConflictException", () => Iam.Policies.DeleteVersionAsync(arn, "v1", default))).Message);
        Assert.StartsWith("This policy has more than one version.",
            (await Refused("DeleteConflictException", () => Iam.Policies.DeleteAsync(arn, default))).Message, StringComparison.Ordinal);
        await Iam.Policies.SetDefaultVersionAsync(arn, "v3", default);
        await Iam.Policies.DeleteVersionAsync(arn, "v1", default);
        Assert.Equal("v6", (await Iam.Policies.CreateVersionAsync(arn, IamTestStore.Allow, setAsDefault: false, default)).VersionId);
        Assert.Equal("v3", (await Iam.Policies.GetAsync(arn, default)).DefaultVersion);
    }

    [Fact]
    public async Task Malformed_documents_are_refused_with_IAMs_message()
    {
        var error = await Refused("MalformedPolicyDocumentException", () => Iam.Policies.CreateAsync("p", "/", "{", null, [], default));
        Assert.Equal("Syntax errors in policy.", error.Message);
        await _t.UserAsync("alice");
        await Refused("MalformedPolicyDocumentException", () => Iam.Entities.PutInlineAsync(EntityKind.User, "alice", "x", IamTestStore.Trust, default));
        await Refused("MalformedPolicyDocumentException", () => Iam.Roles.CreateAsync("r", "/", IamTestStore.Allow, null, null, [], default));
    }

    [Fact]
    public async Task Attaching_while_the_policy_is_deleted_never_leaves_a_dangling_attachment()
    {
        for (var round = 0; round < 10; round++)
        {
            var user = $"u{round}";
            await _t.UserAsync(user);
            var arn = await _t.PolicyAsync($"p{round}");
            var attach = Task.Run(() => Iam.Entities.AttachAsync(EntityKind.User, user, arn, default));
            var delete = Task.Run(() => Iam.Policies.DeleteAsync(arn, default));
            await Task.WhenAll(attach.ContinueWith(_ => { }, TaskScheduler.Default), delete.ContinueWith(_ => { }, TaskScheduler.Default));

            var attached = (await Iam.Entities.GetAsync(EntityKind.User, user, default)).AttachedPolicies;
            var policy = await Iam.Store.FindPolicyAsync($"p{round}", default);
            Assert.NotEqual(attach.IsCompletedSuccessfully, delete.IsCompletedSuccessfully);
            Assert.Equal(delete.IsCompletedSuccessfully, policy is null);
            Assert.Equal(policy is null ? 0 : policy.Value.Attachments.Count, attached.Count);
        }
    }

    [Fact]
    public async Task Concurrent_key_creation_stops_at_two_keys_per_user()
    {
        await _t.UserAsync("alice");
        var attempts = Enumerable.Range(0, 6).Select(_ => Task.Run(() => Iam.AccessKeys.CreateAsync("alice", default))).ToList();
        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(2, attempts.Count(a => a.IsCompletedSuccessfully));
        Assert.All(attempts.Where(a => a.IsFaulted), a => Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", a.Exception!.InnerException!.Message));
        Assert.Equal(2, (await Iam.AccessKeys.ListAsync("alice", default)).Count);
    }

    [Fact]
    public async Task A_user_named_root_is_just_a_user()
    {
        var root = await _t.Keys.EnsureRootKeyAsync(default);
        await _t.UserAsync("root");
        var key = await Iam.AccessKeys.CreateAsync("root", default);

        Assert.Equal(new KeyOwner("root", IsRoot: false), await _t.Keys.FindOwnerAsync(key.AccessKeyId, default));
        Assert.Equal(new KeyOwner("root", IsRoot: true), await _t.Keys.FindOwnerAsync(root.AccessKeyId, default));
        Assert.Equal([key.AccessKeyId], (await Iam.AccessKeys.ListAsync("root", default)).Select(k => k.AccessKeyId));
        await Refused("NoSuchEntityException", () => Iam.AccessKeys.DeleteAsync("root", root.AccessKeyId, default));
        await Refused("NoSuchEntityException", () => Iam.AccessKeys.UpdateAsync("root", root.AccessKeyId, "Inactive", default));
        await Refused("NoSuchEntityException", () => Iam.AccessKeys.LastUsedAsync(root.AccessKeyId, default));
        Assert.NotNull(await _t.Keys.FindSecretAsync(root.AccessKeyId, default));
    }

    [Fact]
    public async Task An_inactive_key_stops_authenticating_at_once_and_can_be_switched_back()
    {
        await _t.UserAsync("alice");
        var key = await Iam.AccessKeys.CreateAsync("alice", default);
        Assert.Equal(key.SecretAccessKey, await _t.Keys.FindSecretAsync(key.AccessKeyId, default));

        await Iam.AccessKeys.UpdateAsync("alice", key.AccessKeyId, "Inactive", default);
        Assert.Null(await _t.Keys.FindSecretAsync(key.AccessKeyId, default));
        await Iam.AccessKeys.UpdateAsync("alice", key.AccessKeyId, "Active", default);
        Assert.Equal(key.SecretAccessKey, await _t.Keys.FindSecretAsync(key.AccessKeyId, default));
        await Iam.AccessKeys.DeleteAsync("alice", key.AccessKeyId, default);
        Assert.Null(await _t.Keys.FindSecretAsync(key.AccessKeyId, default));
    }

    [Fact]
    public async Task Another_replica_stops_accepting_an_inactive_key_once_its_cache_expires()
    {
        await _t.UserAsync("alice");
        var key = await Iam.AccessKeys.CreateAsync("alice", default);
        var replica = new AccessKeyStore(_t.Store, _t.MasterKey, _t.Time);
        Assert.Equal(key.SecretAccessKey, await replica.FindSecretAsync(key.AccessKeyId, default));

        await Iam.AccessKeys.UpdateAsync("alice", key.AccessKeyId, "Inactive", default);
        Assert.NotNull(await replica.FindSecretAsync(key.AccessKeyId, default));
        _t.Time.Advance(AccessKeyStore.CacheFor);

        Assert.Null(await replica.FindSecretAsync(key.AccessKeyId, default));
    }

    [Fact]
    public async Task Renaming_a_user_carries_its_groups_policies_and_keys()
    {
        await _t.UserAsync("alice");
        await _t.GroupAsync("devs");
        await Iam.Users.AddToGroupAsync("devs", "alice", default);
        var arn = await _t.PolicyAsync("p");
        await Iam.Entities.AttachAsync(EntityKind.User, "alice", arn, default);
        var key = await Iam.AccessKeys.CreateAsync("alice", default);
        Assert.Equal("alice", (await _t.Keys.FindOwnerAsync(key.AccessKeyId, default))!.UserName);

        await Iam.Users.UpdateAsync("alice", "alicia", "/staff/", default);

        Assert.Null(await Iam.FindUserAsync("alice", default));
        Assert.Equal("arn:aws:iam::000000000000:user/staff/alicia", (await Iam.FindUserAsync("alicia", default))!.Arn);
        Assert.Equal(["alicia"], (await Iam.Entities.GetAsync(EntityKind.Group, "devs", default)).Members);
        Assert.Equal([new EntityRef(EntityKind.User, "alicia")], (await Iam.Policies.GetAsync(arn, default)).Attachments);
        Assert.Equal("alicia", (await _t.Keys.FindOwnerAsync(key.AccessKeyId, default))!.UserName);
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_per_interval_and_read_newest_first()
    {
        await _t.UserAsync("alice");
        var key = await Iam.AccessKeys.CreateAsync("alice", default);
        Assert.Null((await Iam.AccessKeys.LastUsedAsync(key.AccessKeyId, default)).LastUse);

        _t.Usage.Note(key.AccessKeyId, "ecs", "us-east-1");
        var first = _t.Time.GetUtcNow();
        await _t.Usage.FlushAsync(default);
        var revision = _t.Store.CurrentRevision;
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        _t.Usage.Note(key.AccessKeyId, "iam", "us-east-1");
        await _t.Usage.FlushAsync(default);

        Assert.Equal(revision, _t.Store.CurrentRevision);
        Assert.Equal("iam", (await Iam.AccessKeys.LastUsedAsync(key.AccessKeyId, default)).LastUse!.Service);
        var stored = await new AccessKeyUsage(_t.Store, _t.Time).FindAsync(key.AccessKeyId, default);
        Assert.Equal(("ecs", first), (stored!.Service, stored.At));
        _t.Time.Advance(AccessKeyUsage.WriteEvery);
        await _t.Usage.FlushAsync(default);
        Assert.Equal("iam", (await new AccessKeyUsage(_t.Store, _t.Time).FindAsync(key.AccessKeyId, default))!.Service);
    }
}
