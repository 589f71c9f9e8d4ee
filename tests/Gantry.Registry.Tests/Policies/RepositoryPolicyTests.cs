using Gantry.Registry.Policies;

namespace Gantry.Registry.Tests.Policies;

public sealed class RepositoryPolicyTests
{
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
}
