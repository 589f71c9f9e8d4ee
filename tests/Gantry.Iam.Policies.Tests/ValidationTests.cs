namespace Gantry.Iam.Policies.Tests;

public class ValidationTests
{
    [Theory]
    [InlineData("not json", "Syntax errors in policy.")]
    [InlineData("[]", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17"}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2013-01-01","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Action":"ecs:*","Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"ecs:*","Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","NotAction":"ecr:*","Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:*",3],"Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Actions":"ecs:*","Resource":"*"}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringSortOf":{"ecs:cluster":"a"}}}}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"ecs:*","Resource":"*"}}""", "Policy document should not specify a principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"ecs:*","Resource":"*"}}""", "Policy document should not specify a principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"ecs:*","Resource":"*"}}""", "The policy failed legacy parsing")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"ecs:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"ecr:*","Resource":"*"}]}""", "Statement IDs (SID) in a single policy must be unique.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}""", "Policy statement must contain actions.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}""", "Policy statement must contain actions.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:ListClusters"}}""", "Policy statement must contain resources.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:ListClusters","Resource":"cluster/a"}}""", "Resource cluster/a must be in ARN format or \"*\".")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ListClusters","Resource":"*"}}""", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:List:Clusters","Resource":"*"}}""", "Actions/Condition can contain only one colon.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"e_cs:ListClusters","Resource":"*"}}""", "Vendor e_cs is not valid")]
    public void Identity_documents_are_refused_with_IAMs_message(string json, string message) =>
        Assert.Equal(message, PolicyDocument.Validate(json, PolicyKind.Identity));

    [Fact]
    public void A_syntax_error_in_a_later_statement_comes_before_a_missing_action_in_an_earlier_one() =>
        Assert.Equal(PolicyErrors.Syntax, PolicyDocument.Validate(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"},{"Effect":"Allow","Action":"ecs:*","Resource":"*","Extra":1}]}""",
            PolicyKind.Identity));

    [Fact]
    public void Parse_throws_the_same_message()
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() =>
            PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*"}}""", PolicyKind.Identity));
        Assert.Equal("Policy statement must contain resources.", error.Message);
    }

    [Fact]
    public void Managed_policies_need_version_2012_10_17_while_inline_ones_may_omit_it()
    {
        const string json = """{"Statement":{"Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}}""";
        Assert.Null(PolicyDocument.Validate(json, PolicyKind.Identity));
        Assert.Equal("Policy document must be version 2012-10-17 or greater.",
            PolicyDocument.Validate(json, PolicyKind.Identity, requireCurrentVersion: true));
        Assert.Equal("2008-10-17", PolicyDocument.Parse(json, PolicyKind.Identity).Version);
    }

    [Fact]
    public void A_statement_object_and_single_strings_are_accepted()
    {
        CompiledPolicy policy = PolicyDocument.Parse(
            """{"Version":"2008-10-17","Statement":{"Sid":"one","Effect":"Allow","Action":"ecs:ListClusters","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"ecs:task-cpu":1024}}}}""",
            PolicyKind.Identity);
        Assert.Equal(1, policy.StatementCount);
    }

    [Fact]
    public void Resource_policies_need_a_principal_but_not_a_resource()
    {
        Assert.Equal("Missing required field Principal", PolicyDocument.Validate(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:BatchGetImage"}}""", PolicyKind.Resource));
        Assert.Null(PolicyDocument.Validate(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:user/ana"],"Service":"ecs-tasks.amazonaws.com"},"Action":"ecr:BatchGetImage"},{"Effect":"Deny","NotPrincipal":"*","Action":"ecr:*"}]}""",
            PolicyKind.Resource));
        Assert.Equal(PolicyErrors.Syntax, PolicyDocument.Validate(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Person":"ana"},"Action":"ecr:BatchGetImage"}}""", PolicyKind.Resource));
    }
}
