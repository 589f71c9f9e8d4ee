using Gantry.Api.Authorization;
using Gantry.Domain.Arns;
using Gantry.Iam.Policies;

namespace Gantry.Api.Tests.Authorization;

/// <summary>For front-door tests about something else: every signing key is the account root.</summary>
public sealed class RootOnly : ICallerSource
{
    public static RequestAuthorizer Authorizer { get; } = new(new RootOnly(), new ResourceRules.Builder().Build(), new PolicyCache(), AwsAccount.Default, TimeProvider.System);

    public ValueTask<Caller?> FindAsync(string accessKeyId, CancellationToken ct) => ValueTask.FromResult<Caller?>(new Caller(
        CallerKind.Root, AwsAccount.Default.Root, AwsAccount.Default.AccountId, AwsAccount.Default.AccountId, null, null, new Dictionary<string, string>(), []));
}
