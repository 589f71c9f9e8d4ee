using Gantry.Domain.Errors;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets.Tests.SecretsManager;

public sealed class SecretStagesTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private static SecretVersion V(string id, params string[] stages) => new(id, "sealed", null, stages, At);

    private static Dictionary<string, string[]> Stages(IReadOnlyList<SecretVersion> versions) =>
        versions.ToDictionary(v => v.VersionId, v => v.Stages.Order(StringComparer.Ordinal).ToArray());

    [Fact]
    public void A_new_current_version_leaves_the_old_one_previous_and_the_one_before_deprecated()
    {
        var versions = SecretStages.Add([V("a", "AWSCURRENT")], V("b", "AWSCURRENT"));
        versions = SecretStages.Add(versions, V("c", "AWSCURRENT"));
        Assert.Equal(new Dictionary<string, string[]> { ["a"] = [], ["b"] = ["AWSPREVIOUS"], ["c"] = ["AWSCURRENT"] }, Stages(versions));
    }

    [Fact]
    public void A_pending_version_moves_nothing_but_AWSPENDING()
    {
        var versions = SecretStages.Add([V("a", "AWSCURRENT"), V("p", "AWSPENDING")], V("q", "AWSPENDING"));
        Assert.Equal(new Dictionary<string, string[]> { ["a"] = ["AWSCURRENT"], ["p"] = [], ["q"] = ["AWSPENDING"] }, Stages(versions));
    }

    [Fact]
    public void Moving_AWSCURRENT_needs_the_version_it_leaves_and_gives_that_one_AWSPREVIOUS()
    {
        IReadOnlyList<SecretVersion> versions = [V("a", "AWSPREVIOUS"), V("b", "AWSCURRENT"), V("c", "AWSPENDING")];
        var refused = Assert.Throws<AwsException>(() => SecretStages.Move(versions, "AWSCURRENT", "c", null));
        Assert.Equal("InvalidParameterException", refused.Type);
        Assert.Contains("RemoveFromVersionId", refused.Message, StringComparison.Ordinal);

        var moved = SecretStages.Move(versions, "AWSCURRENT", "c", "b");
        Assert.Equal(new Dictionary<string, string[]> { ["a"] = [], ["b"] = ["AWSPREVIOUS"], ["c"] = ["AWSCURRENT", "AWSPENDING"] }, Stages(moved));
    }

    [Fact]
    public void AWSCURRENT_cannot_just_be_removed_and_RemoveFromVersionId_must_hold_the_label()
    {
        IReadOnlyList<SecretVersion> versions = [V("a", "AWSCURRENT"), V("b")];
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => SecretStages.Move(versions, "AWSCURRENT", null, "a")).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => SecretStages.Move(versions, "custom", "a", "b")).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => SecretStages.Move(versions, "custom", "zzz", null)).Type);
    }

    [Fact]
    public void Custom_labels_attach_and_detach_freely()
    {
        IReadOnlyList<SecretVersion> versions = [V("a", "AWSCURRENT"), V("b")];
        versions = SecretStages.Move(versions, "blue", "b", null);
        Assert.Equal(["blue"], Stages(versions)["b"]);
        versions = SecretStages.Move(versions, "blue", null, "b");
        Assert.Empty(Stages(versions)["b"]);
    }

    [Fact]
    public void Past_a_hundred_versions_the_oldest_deprecated_ones_go_and_labelled_ones_stay()
    {
        IReadOnlyList<SecretVersion> versions = [V("v0", "keep"), V("v1", "AWSCURRENT")];
        for (var i = 2; i < 105; i++)
        {
            versions = SecretStages.Add(versions, V($"v{i}", "AWSCURRENT"));
        }
        Assert.Equal(SecretStages.MaxVersions, versions.Count);
        Assert.Equal("v0", versions[0].VersionId);
        Assert.DoesNotContain(versions, v => v.VersionId == "v1");
        Assert.Equal(["AWSCURRENT"], versions[^1].Stages);
    }
}
