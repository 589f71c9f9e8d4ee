using Gantry.Api.Front;
using Gantry.Auth.Keys;
using Gantry.Auth.SigV4;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests;

/// <summary>The API host with real SigV4 authentication against its key store (region us-east-1), as `gantry server` runs it.</summary>
public sealed class SignedApiTestHost : ApiTestHost
{
    protected override IRequestAuthenticator Authenticator(AccessKeyStore keys) =>
        new SigV4Authenticator(new SigV4Verifier(keys.FindSecretAsync, AwsAccount.Default.Region, SigV4Authenticator.SignedWhenPresent, TimeProvider.System));
}
