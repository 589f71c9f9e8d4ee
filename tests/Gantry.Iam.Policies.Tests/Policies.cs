namespace Gantry.Iam.Policies.Tests;

/// <summary>Small builders for the tests: a user's request and one-call evaluation.</summary>
internal static class Policies
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public const string UserArn = "arn:aws:iam::123456789012:user/ana";

    public static string Ecs(string resource) => $"arn:aws:ecs:{Region}:{Account}:{resource}";

    public static CompiledPolicy Identity(string json) => PolicyDocument.Parse(json, PolicyKind.Identity);

    public static CompiledPolicy Resource(string json) => PolicyDocument.Parse(json, PolicyKind.Resource);

    /// <summary>A request by IAM user ana, with the keys AWS sets for users.</summary>
    public static EvaluationRequest Request(string action, string resource, Action<RequestContext>? keys = null)
    {
        var context = new RequestContext()
            .Set("aws:username", "ana")
            .Set("aws:userid", "AIDAEXAMPLEANA")
            .Set("aws:PrincipalArn", UserArn)
            .Set("aws:PrincipalAccount", Account);
        keys?.Invoke(context);
        return new EvaluationRequest(action, resource, context) { Principal = new RequestPrincipal(UserArn, Account) };
    }

    public static Decision Evaluate(EvaluationRequest request, params CompiledPolicy[] identity) =>
        PolicyEvaluator.Evaluate(request, identity, null, []);

    /// <summary>A 2012-10-17 identity policy of the given statements.</summary>
    public static string Doc(params string[] statements) =>
        $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";
}
