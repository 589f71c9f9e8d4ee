using System.Text.RegularExpressions;
using Gantry.Api.Authorization;
using Gantry.Auth.Sessions;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Sts;
using Gantry.Iam;
using Gantry.Iam.Policies;

namespace Gantry.Api.Sts;

/// <summary>
/// STS AssumeRole and GetSessionToken: temporary credentials (<see cref="SessionTokens"/>) for a role whose trust
/// policy lets the caller in, or for the calling user. AssumeRole is decided here, against the role's trust policy
/// (<see cref="PolicyEvaluator.EvaluateTrust"/>), not by the front door; GetSessionToken needs no permission, as in AWS.
/// </summary>
public sealed partial class StsSessions(ICallerSource callers, SessionTokens sessions, IamDirectory iam, PolicyCache policies, AwsAccount account,
    TimeProvider time)
{
    private const int MinDuration = 900;
    private const int MaxSessionPolicyLength = 2048;

    public async Task<AssumeRoleResponse> AssumeRoleAsync(AssumeRoleRequest request, string accessKeyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roleArn = request.RoleArn ?? throw Missing("roleArn");
        var sessionName = request.RoleSessionName ?? throw Missing("roleSessionName");
        if (!SessionName().IsMatch(sessionName))
        {
            throw Validation($"1 validation error detected: Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        Refuse(request.PolicyArns is { Count: > 0 }, "PolicyArns (managed session policies)");
        Refuse(request.SerialNumber is not null || request.TokenCode is not null, "SerialNumber and TokenCode (MFA)");
        Refuse(request.TransitiveTagKeys is { Count: > 0 }, "TransitiveTagKeys");
        Refuse(request.ProvidedContexts is { Count: > 0 }, "ProvidedContexts");
        var caller = await callers.FindAsync(accessKeyId, ct).ConfigureAwait(false)
            ?? throw RequestAuthorizer.UnknownCaller();
        if (caller.Kind == CallerKind.Root)
        {
            throw new AwsException("AccessDeniedException", "Roles may not be assumed by root accounts.");
        }
        var denied = new AwsException("AccessDeniedException", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        var role = await iam.FindRoleAsync(roleArn, ct).ConfigureAwait(false) ?? throw denied;
        var duration = request.DurationSeconds ?? 3600;
        if (duration < MinDuration || duration > role.MaxSessionDurationSeconds)
        {
            throw Validation(duration < MinDuration
                ? $"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MinDuration}"
                : "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        var sessionPolicy = SessionPolicy(request.Policy);
        var context = new RequestContext().Set("aws:PrincipalArn", caller.RoleArn ?? caller.Arn).Set("aws:userid", caller.UserId).Set("aws:CurrentTime", time.GetUtcNow());
        if (caller.UserName is { } userName)
        {
            context.Set("aws:username", userName);
        }
        if (request.ExternalId is { } externalId)
        {
            context.Set("sts:ExternalId", externalId);
        }
        if (request.SourceIdentity is { } sourceIdentity)
        {
            context.Set("sts:SourceIdentity", sourceIdentity);
        }
        var tags = (request.Tags ?? []).ToDictionary(t => t.Key ?? "", t => t.Value ?? "", StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            context.Set($"aws:RequestTag/{key}", value);
        }
        if (tags.Count > 0)
        {
            context.SetValues("aws:TagKeys", tags.Keys);
        }
        var decision = PolicyEvaluator.EvaluateTrust(
            new EvaluationRequest("sts:AssumeRole", role.Arn, context) { Principal = caller.Principal, ResourceAccountId = account.AccountId },
            caller.Policies, caller.SessionPolicy, policies.GetOrParse(role.TrustPolicyDocument, PolicyKind.Resource));
        if (!decision.Allowed)
        {
            throw denied;
        }
        var issued = sessions.Issue(new SessionClaims("", time.GetUtcNow().AddSeconds(duration), role.Name, sessionName, SessionPolicy: sessionPolicy,
            Tags: tags.Count == 0 ? null : tags));
        return new AssumeRoleResponse
        {
            Credentials = Wire(issued),
            AssumedRoleUser = new AssumedRoleUser
            {
                AssumedRoleId = $"{role.RoleId}:{sessionName}",
                Arn = AssumedRoleArn(account, role.Name, sessionName),
            },
            PackedPolicySize = sessionPolicy is null && tags.Count == 0 ? null
                : (int)Math.Ceiling(100.0 * ((sessionPolicy?.Length ?? 0) + tags.Sum(t => t.Key.Length + t.Value.Length)) / MaxSessionPolicyLength),
            SourceIdentity = request.SourceIdentity,
        };
    }

    public async Task<GetSessionTokenResponse> GetSessionTokenAsync(GetSessionTokenRequest request, string accessKeyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Refuse(request.SerialNumber is not null || request.TokenCode is not null, "SerialNumber and TokenCode (MFA)");
        var caller = await callers.FindAsync(accessKeyId, ct).ConfigureAwait(false)
            ?? throw RequestAuthorizer.UnknownCaller();
        if (accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            throw new AwsException("AccessDeniedException", "Cannot call GetSessionToken with session credentials");
        }
        var root = caller.Kind == CallerKind.Root;
        var duration = request.DurationSeconds ?? (root ? 3600 : 43200);
        var max = root ? 3600 : 129600;
        if (duration < MinDuration || duration > max)
        {
            throw Validation(duration < MinDuration
                ? $"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MinDuration}"
                : $"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }
        var issued = sessions.Issue(new SessionClaims("", time.GetUtcNow().AddSeconds(duration), UserName: caller.UserName, Root: root));
        return new GetSessionTokenResponse { Credentials = Wire(issued) };
    }

    /// <summary>The ARN of a role session: <c>arn:aws:sts::&lt;account&gt;:assumed-role/&lt;role name&gt;/&lt;session&gt;</c>.</summary>
    public static string AssumedRoleArn(AwsAccount account, string roleName, string sessionName)
    {
        ArgumentNullException.ThrowIfNull(account);
        return $"arn:{account.Partition}:sts::{account.AccountId}:assumed-role/{roleName}/{sessionName}";
    }

    private string? SessionPolicy(string? policy)
    {
        if (policy is null)
        {
            return null;
        }
        if (policy.Length > MaxSessionPolicyLength)
        {
            throw new AwsException("PackedPolicyTooLargeException", "Packed policy consumes more than 100% of allotted space, please use smaller policy.");
        }
        try
        {
            policies.GetOrParse(policy, PolicyKind.Identity);
            return policy;
        }
        catch (MalformedPolicyDocumentException e)
        {
            throw new AwsException("MalformedPolicyDocumentException", e.Message);
        }
    }

    private static Credentials Wire(TemporaryCredentials issued) => new()
    {
        AccessKeyId = issued.AccessKeyId,
        SecretAccessKey = issued.SecretAccessKey,
        SessionToken = issued.SessionToken,
        Expiration = issued.Expiration,
    };

    private static void Refuse(bool present, string what)
    {
        if (present)
        {
            throw Validation($"{what} are not supported by Gantry: call without them.");
        }
    }

    private static AwsException Missing(string field) =>
        Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    private static AwsException Validation(string message) => new("ValidationError", message);

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionName();
}
