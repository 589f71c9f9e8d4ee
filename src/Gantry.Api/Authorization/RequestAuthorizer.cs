using System.Globalization;
using System.Net;
using Gantry.Api.Front;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Iam.Policies;

namespace Gantry.Api.Authorization;

/// <summary>
/// Decides every signed request before its handler runs, as IAM does: the caller's identity policies (and session
/// policy), the resource's own policy, explicit deny over allow over implicit deny, for each resource the operation
/// acts on (<see cref="ResourceRules"/>). The account root may do everything a resource's policy does not explicitly
/// deny it. A refusal is AccessDeniedException with
/// AWS's message; it changes nothing, since the handler never runs.
/// </summary>
public sealed class RequestAuthorizer(ICallerSource callers, ResourceRules rules, PolicyCache policies, AwsAccount account, TimeProvider time)
{
    /// <summary>What the account root is allowed: everything (an explicit deny in a resource policy still wins).</summary>
    private static readonly IReadOnlyList<CompiledPolicy> RootPolicies =
        [PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", PolicyKind.Identity)];

    /// <summary>Where the request came from and how (aws:SourceIp, aws:SecureTransport).</summary>
    public readonly record struct Origin(IPAddress? SourceIp, bool Secure);

    public async ValueTask AuthorizeAsync(AwsOperation operation, object input, string accessKeyId, Origin origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(input);
        if (rules.IsUnchecked(operation))
        {
            return;
        }
        var caller = await CallerAsync(accessKeyId, ct).ConfigureAwait(false);
        if (caller.Kind == CallerKind.Root && !rules.MayCarryPolicies(operation))
        {
            return; // nothing to read: nothing but a resource's policy restricts the root
        }
        var targets = await rules.TargetsOf(operation, input, ct).ConfigureAwait(false);
        Decide(caller, operation.Action, targets, RequestTags.Of(input), origin);
    }

    /// <summary>Decides <paramref name="action"/> on <paramref name="targets"/> for the key's owner (also for `/v2/` pulls
    /// and pushes); throws AccessDeniedException with AWS's message, or UnrecognizedClientException for a key nobody owns.</summary>
    public async ValueTask AuthorizeAsync(string accessKeyId, string action, IReadOnlyList<AuthorizationTarget> targets,
        (IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Keys) request, Origin origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(targets);
        Decide(await CallerAsync(accessKeyId, ct).ConfigureAwait(false), action, targets, request, origin);
    }

    private async ValueTask<Caller> CallerAsync(string accessKeyId, CancellationToken ct) =>
        await callers.FindAsync(accessKeyId, ct).ConfigureAwait(false)
            ?? throw UnknownCaller();

    /// <summary>A key whose owner is gone (deleted user or role), as SigV4 words an unknown key (InvalidClientTokenId over awsQuery).</summary>
    public static AwsException UnknownCaller() => new("UnrecognizedClientException", "The security token included in the request is invalid.");

    private void Decide(Caller caller, string action, IReadOnlyList<AuthorizationTarget> targets,
        (IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Keys) request, Origin origin)
    {
        foreach (var target in targets)
        {
            var resourcePolicies = ResourcePolicyOf(target);
            if (caller.Kind == CallerKind.Root && resourcePolicies.Count == 0)
            {
                continue; // nothing restricts the root but an explicit deny in a resource's policy
            }
            var context = Context(caller, origin, request.Tags, request.Keys, target);
            var decision = PolicyEvaluator.Evaluate(
                new EvaluationRequest(action, target.Resource, context) { Principal = caller.Principal, ResourceAccountId = account.AccountId },
                caller.Kind == CallerKind.Root ? RootPolicies : caller.Policies, caller.SessionPolicy, resourcePolicies);
            if (!decision.Allowed)
            {
                throw new AwsException("AccessDeniedException", decision.AccessDeniedMessage(caller.Arn, action, target.Resource));
            }
        }
    }

    /// <summary>The global condition keys of the request, and those of one of its resources.</summary>
    private RequestContext Context(Caller caller, Origin origin, IReadOnlyList<KeyValuePair<string, string>> requestTags, IReadOnlyList<string> tagKeys,
        AuthorizationTarget target)
    {
        var now = time.GetUtcNow();
        var context = new RequestContext()
            .Set("aws:PrincipalArn", caller.RoleArn ?? caller.Arn)
            .Set("aws:PrincipalAccount", caller.AccountId)
            .Set("aws:PrincipalType", caller.PrincipalType)
            .Set("aws:userid", caller.UserId)
            .Set("aws:CurrentTime", now)
            .Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:SecureTransport", origin.Secure)
            .Set("aws:RequestedRegion", account.Region);
        if (caller.UserName is { } userName)
        {
            context.Set("aws:username", userName);
        }
        if (origin.SourceIp is { } ip)
        {
            context.Set("aws:SourceIp", (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString());
        }
        foreach (var (key, value) in caller.Tags)
        {
            context.Set($"aws:PrincipalTag/{key}", value);
        }
        foreach (var (key, value) in requestTags)
        {
            context.Set($"aws:RequestTag/{key}", value);
        }
        if (tagKeys.Count > 0)
        {
            context.SetValues("aws:TagKeys", tagKeys);
        }
        foreach (var (key, value) in target.ResourceTags ?? [])
        {
            context.Set($"aws:ResourceTag/{key}", value);
        }
        foreach (var (key, value) in target.Keys ?? [])
        {
            context.Set(key, value);
        }
        return context;
    }

    /// <summary>The resource's policy, compiled; a stored policy IAM's grammar refuses (written before it was checked) counts as none.</summary>
    private IReadOnlyList<CompiledPolicy> ResourcePolicyOf(AuthorizationTarget target)
    {
        if (string.IsNullOrEmpty(target.ResourcePolicy))
        {
            return [];
        }
        try
        {
            return [policies.GetOrParse(target.ResourcePolicy, PolicyKind.Resource)];
        }
        catch (MalformedPolicyDocumentException)
        {
            return [];
        }
    }
}
