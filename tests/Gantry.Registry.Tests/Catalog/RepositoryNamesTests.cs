using Gantry.Registry.Catalog;

namespace Gantry.Registry.Tests.Catalog;

public sealed class RepositoryNamesTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("busybox")]
    [InlineData("library/busybox")]
    [InlineData("a/b/c/d")]
    [InlineData("my.app")]
    [InlineData("my_app")]
    [InlineData("my__app")]
    [InlineData("my-app")]
    [InlineData("my---app")]
    [InlineData("0app/v2.1-beta_x")]
    public void Valid_names(string name) => Assert.True(RepositoryNames.IsValid(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("MyApp")]
    [InlineData("-app")]
    [InlineData("app-")]
    [InlineData(".app")]
    [InlineData("my___app")]
    [InlineData("my..app")]
    [InlineData("my._app")]
    [InlineData("/app")]
    [InlineData("app/")]
    [InlineData("team//app")]
    [InlineData("team/-app")]
    [InlineData("app:latest")]
    [InlineData("app@sha256")]
    [InlineData("my app")]
    public void Invalid_names(string? name) => Assert.False(RepositoryNames.IsValid(name));

    [Fact]
    public void Names_are_at_most_256_characters()
    {
        Assert.True(RepositoryNames.IsValid(new string('a', 256)));
        Assert.False(RepositoryNames.IsValid(new string('a', 257)));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("V1_RC-2")]
    [InlineData("_internal")]
    [InlineData("0")]
    [InlineData("a..b--c__")]
    public void Valid_tags(string tag) => Assert.True(RepositoryNames.IsValidTag(tag));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a@b")]
    [InlineData("a b")]
    [InlineData("tâg")]
    public void Invalid_tags(string? tag) => Assert.False(RepositoryNames.IsValidTag(tag));

    [Fact]
    public void Tags_are_at_most_128_characters()
    {
        Assert.True(RepositoryNames.IsValidTag(new string('a', 128)));
        Assert.False(RepositoryNames.IsValidTag(new string('a', 129)));
    }

    [Fact]
    public void A_trailing_newline_is_not_part_of_a_valid_name_or_tag()
    {
        Assert.False(RepositoryNames.IsValidTag("latest\n"));
        Assert.False(RepositoryNames.IsValid("app\n"));
    }
}
