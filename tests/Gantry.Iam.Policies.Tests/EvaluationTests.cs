using static Gantry.Iam.Policies.Tests.Policies;

namespace Gantry.Iam.Policies.Tests;

public class EvaluationTests
{
    private static readonly CompiledPolicy EcsFull = Identity(Doc("""{"Effect":"Allow","Action":"ecs:*","Resource":"*"}"""));

    private static readonly CompiledPolicy NoDeletes = Identity(Doc(
        """{"Sid":"NoDeletes","Effect":"Deny","Action":"ecs:Delete*","Resource":"*"}"""));

    [Fact]
    public void Nothing_attached_is_an_implicit_deny_in_identity_policies()
    {
        EvaluationRequest request = Request("ecs:RunTask", Ecs("task-definition/web:9"));
        Decision decision = PolicyEvaluator.Evaluate(request, [], null, []);
        Assert.Equal(DecisionReason.NoIdentityAllow, decision.Reason);
        Assert.Equal(
            "User: arn:aws:iam::123456789012:user/ana is not authorized to perform: ecs:RunTask on resource: "
            + "arn:aws:ecs:us-east-1:123456789012:task-definition/web:9 because no identity-based policy allows the ecs:RunTask action",
            decision.AccessDeniedMessage(UserArn, request.Action, request.Resource));
    }

    [Fact]
    public void An_explicit_deny_in_any_attached_policy_beats_an_allow()
    {
        EvaluationRequest request = Request("ecs:DeleteService", Ecs("service/prod/web"));
        Decision decision = Evaluate(request, EcsFull, NoDeletes);
        Assert.False(decision.Allowed);
        Assert.Equal(DecisionReason.ExplicitDeny, decision.Reason);
        Assert.Equal(PolicyType.IdentityBased, decision.DecidingPolicy);
        Assert.Equal("NoDeletes", decision.StatementId);
        Assert.EndsWith("on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web with an explicit deny in an identity-based policy",
            decision.AccessDeniedMessage(UserArn, request.Action, request.Resource), StringComparison.Ordinal);
        Assert.True(Evaluate(Request("ecs:UpdateService", Ecs("service/prod/web")), EcsFull, NoDeletes).Allowed);
    }

    [Fact]
    public void A_session_policy_narrows_the_role()
    {
        CompiledPolicy session = Identity(Doc("""{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}"""));
        Assert.True(PolicyEvaluator.Evaluate(Request("ecs:DescribeTasks", "*"), [EcsFull], session, []).Allowed);
        Decision decision = PolicyEvaluator.Evaluate(Request("ecs:RunTask", "*"), [EcsFull], session, []);
        Assert.Equal(DecisionReason.NoSessionAllow, decision.Reason);
        Assert.EndsWith("because no session policy allows the ecs:RunTask action",
            decision.AccessDeniedMessage(UserArn, "ecs:RunTask", null), StringComparison.Ordinal);
        Assert.Equal(DecisionReason.NoIdentityAllow,
            PolicyEvaluator.Evaluate(Request("ecs:DescribeTasks", "*"), [], session, []).Reason);
    }

    [Fact]
    public void A_same_account_resource_policy_naming_the_user_is_enough()
    {
        CompiledPolicy repository = Resource(
            """{"Version":"2012-10-17","Statement":{"Sid":"AnaPulls","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ana"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}}""");
        EvaluationRequest pull = Request("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/web");
        Decision decision = PolicyEvaluator.Evaluate(pull, [], null, [repository]);
        Assert.True(decision.Allowed);
        Assert.Equal(PolicyType.ResourceBased, decision.DecidingPolicy);
        Assert.Equal("AnaPulls", decision.StatementId);
        Assert.False(PolicyEvaluator.Evaluate(Request("ecr:PutImage", pull.Resource), [], null, [repository]).Allowed);
    }

    [Fact]
    public void A_resource_policy_naming_only_the_account_delegates_to_identity_policies()
    {
        CompiledPolicy repository = Resource(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"ecr:*"}}""");
        EvaluationRequest pull = Request("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/web");
        Assert.Equal(DecisionReason.NoIdentityAllow, PolicyEvaluator.Evaluate(pull, [], null, [repository]).Reason);
    }

    [Fact]
    public void A_resource_policy_naming_the_role_still_needs_the_session_policy()
    {
        const string roleArn = "arn:aws:iam::123456789012:role/deployer";
        CompiledPolicy repository = Resource(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/deployer"},"Action":"ecr:*"}}""");
        CompiledPolicy session = Identity(Doc("""{"Effect":"Allow","Action":"ecs:*","Resource":"*"}"""));
        EvaluationRequest push = Request("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/web") with
        {
            Principal = new RequestPrincipal("arn:aws:sts::123456789012:assumed-role/deployer/ci", Account, roleArn),
        };
        Assert.True(PolicyEvaluator.Evaluate(push, [], null, [repository]).Allowed);
        Assert.Equal(DecisionReason.NoSessionAllow, PolicyEvaluator.Evaluate(push, [], session, [repository]).Reason);
    }

    [Fact]
    public void A_resource_policy_deny_wins_and_is_named()
    {
        CompiledPolicy repository = Resource(
            """{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository"}}""");
        Decision decision = PolicyEvaluator.Evaluate(
            Request("ecr:DeleteRepository", "arn:aws:ecr:us-east-1:123456789012:repository/web"),
            [Identity(Doc("""{"Effect":"Allow","Action":"ecr:*","Resource":"*"}"""))], null, [repository]);
        Assert.Equal(DecisionReason.ExplicitDeny, decision.Reason);
        Assert.EndsWith("with an explicit deny in a resource-based policy",
            decision.AccessDeniedMessage(UserArn, "ecr:DeleteRepository", null), StringComparison.Ordinal);
    }

    [Fact]
    public void Cross_account_needs_both_the_resource_policy_and_the_identity()
    {
        CompiledPolicy repository = Resource(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"ecr:BatchGetImage"}}""");
        CompiledPolicy identity = Identity(Doc("""{"Effect":"Allow","Action":"ecr:*","Resource":"*"}"""));
        EvaluationRequest pull = Request("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:999999999999:repository/web") with
        {
            ResourceAccountId = "999999999999",
        };
        Assert.True(PolicyEvaluator.Evaluate(pull, [identity], null, [repository]).Allowed);
        Assert.Equal(DecisionReason.NoIdentityAllow, PolicyEvaluator.Evaluate(pull, [], null, [repository]).Reason);
        Decision noResource = PolicyEvaluator.Evaluate(pull, [identity], null, []);
        Assert.Equal(DecisionReason.NoResourceAllow, noResource.Reason);
        Assert.EndsWith("because no resource-based policy allows the ecr:BatchGetImage action",
            noResource.AccessDeniedMessage(UserArn, "ecr:BatchGetImage", pull.Resource), StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_for_other_services_and_wildcard_services_are_both_consulted()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecr:*","Resource":"*"}""",
            """{"Effect":"Allow","Action":"logs:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"*:Delete*","Resource":"*"}"""));
        Assert.True(Evaluate(Request("logs:PutLogEvents", "*"), policy).Allowed);
        Assert.Equal(DecisionReason.ExplicitDeny, Evaluate(Request("ECR:deleteRepository", "*"), policy).Reason);
        Assert.Equal(DecisionReason.NoIdentityAllow, Evaluate(Request("ecs:ListClusters", "*"), policy).Reason);
    }

    [Fact]
    public void The_cache_compiles_a_document_once()
    {
        var cache = new PolicyCache(capacity: 2);
        string json = Doc("""{"Effect":"Allow","Action":"ecs:*","Resource":"*"}""");
        Assert.Same(cache.GetOrParse(json, PolicyKind.Identity), cache.GetOrParse(json, PolicyKind.Identity));
        Assert.Throws<MalformedPolicyDocumentException>(() => cache.GetOrParse("{}", PolicyKind.Identity));
        Assert.Equal(1, cache.Count);
    }
}
