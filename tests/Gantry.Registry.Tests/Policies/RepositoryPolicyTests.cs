using Gantry.Registry.Policies;

namespace Gantry.Registry.Tests.Policies;

public sealed class RepositoryPolicyTests
{
    private const string Alice = "arn:aws:iam::123456789012:user/alice";
    private const string Bob = "arn:aws:iam::123456789012:user/bob";
    private const string Stranger = "arn:aws:iam::999999999999:user/mallory";

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Deny","Principal":"*","Action":"ecr:*"}]}""")]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["ecr:BatchGetImage"]}}""")]
    [InlineData("""{"Statement":[]}""")]
    public void A_well_formed_policy_validates(string policy) => Assert.Null(RepositoryPolicy.Validate(policy));

    [Theory]
    [InlineData("""{"Version":"2012-10-17"}""", "policy must have a Statement")]
    [InlineData("""{"Statement":[{"Principal":"*","Action":"ecr:*"}]}""", "every statement needs Effect Allow or Deny")]
    [InlineData("""{"Statement":[{"Effect":"deny","Principal":"*","Action":"ecr:*"}]}""", "every statement needs Effect Allow or Deny")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Action":"ecr:*"}]}""", "every statement needs a Principal and an Action")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":"*"}]}""", "every statement needs a Principal and an Action")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","Principal":"*"}]}""", "every statement needs a Principal and an Action")]
    public void Validate_says_what_is_wrong(string policy, string problem) => Assert.Equal(problem, RepositoryPolicy.Validate(policy));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Statement":[""")]
    public void Invalid_json_is_reported_not_thrown(string policy) =>
        Assert.StartsWith("policy is not valid JSON", RepositoryPolicy.Validate(policy), StringComparison.Ordinal);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"policy\"")]
    [InlineData("""{"Statement":["Deny"]}""")]
    [InlineData("""{"Statement":[1]}""")]
    public void Json_that_is_not_a_policy_document_is_reported_not_thrown(string policy) =>
        Assert.NotNull(RepositoryPolicy.Validate(policy));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("""{"Version":"2012-10-17"}""")]
    public void No_policy_denies_nothing(string? policy) => Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));

    [Fact]
    public void A_deny_to_everyone_denies_everyone()
    {
        const string policy = """{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:BatchGetImage"}]}""";

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
        Assert.True(RepositoryPolicy.Denies(policy, Stranger, RepositoryPolicy.Pull));
        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Push));
    }

    [Fact]
    public void A_deny_to_one_arn_denies_only_that_principal()
    {
        var policy = Deny("""{"AWS":"arn:aws:iam::123456789012:user/alice"}""", "\"ecr:PutImage\"");

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Push));
        Assert.False(RepositoryPolicy.Denies(policy, Bob, RepositoryPolicy.Push));
        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
    }

    [Fact]
    public void A_deny_to_a_list_of_arns_denies_each_of_them()
    {
        var policy = Deny("""{"AWS":["arn:aws:iam::123456789012:user/alice","arn:aws:iam::999999999999:user/mallory"]}""", "\"ecr:BatchDeleteImage\"");

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Delete));
        Assert.True(RepositoryPolicy.Denies(policy, Stranger, RepositoryPolicy.Delete));
        Assert.False(RepositoryPolicy.Denies(policy, Bob, RepositoryPolicy.Delete));
    }

    [Theory]
    [InlineData("\"123456789012\"")]
    [InlineData("\"arn:aws:iam::123456789012:root\"")]
    [InlineData("[\"111111111111\",\"123456789012\"]")]
    [InlineData("\"*\"")]
    public void A_deny_to_an_account_denies_its_principals(string aws)
    {
        var policy = Deny($$"""{"AWS":{{aws}}}""", "\"ecr:BatchGetImage\"");

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
        Assert.True(RepositoryPolicy.Denies(policy, Bob, RepositoryPolicy.Pull));
    }

    [Fact]
    public void A_deny_to_an_account_leaves_other_accounts_alone()
    {
        var policy = Deny("""{"AWS":"123456789012"}""", "\"ecr:BatchGetImage\"");

        Assert.False(RepositoryPolicy.Denies(policy, Stranger, RepositoryPolicy.Pull));
    }

    [Theory]
    [InlineData("\"ecr:*\"", true, true)]
    [InlineData("\"*\"", true, true)]
    [InlineData("\"ecr:Batch*\"", true, false)]
    [InlineData("\"ECR:batchgetimage\"", true, false)]
    [InlineData("\"ecr:BatchGetImag?\"", true, false)]
    [InlineData("[\"ecr:GetDownloadUrlForLayer\",\"ecr:PutImage\"]", false, true)]
    [InlineData("\"s3:*\"", false, false)]
    [InlineData("\"ecr:BatchGet\"", false, false)]
    public void Actions_match_exactly_case_insensitively_or_by_wildcard(string actions, bool deniesPull, bool deniesPush)
    {
        var policy = Deny("\"*\"", actions);

        Assert.Equal(deniesPull, RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
        Assert.Equal(deniesPush, RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Push));
    }

    [Fact]
    public void Allow_statements_never_deny()
    {
        const string policy = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"*"}]}""";

        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Push));
    }

    [Fact]
    public void A_deny_wins_over_an_allow()
    {
        const string policy = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"ecr:PutImage"}]}""";

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Push));
        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.Pull));
        Assert.False(RepositoryPolicy.Denies(policy, Bob, RepositoryPolicy.Push));
    }

    [Fact]
    public void A_single_statement_object_is_evaluated()
    {
        const string policy = """{"Statement":{"Effect":"Deny","Principal":"*","Action":"ecr:UploadLayerPart"}}""";

        Assert.True(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.UploadLayer));
        Assert.False(RepositoryPolicy.Denies(policy, Alice, RepositoryPolicy.DownloadLayer));
    }

    private static string Deny(string principal, string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{{principal}},"Action":{{action}}}]}""";
}
