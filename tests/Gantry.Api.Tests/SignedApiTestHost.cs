using Gantry.Api.Ecr;
using Gantry.Api.Front;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests;

/// <summary>The API host with real SigV4 authentication against its key store (region us-east-1), as `gantry server` runs it.</summary>
public sealed class SignedApiTestHost : ApiTestHost
{
    protected override IRequestAuthenticator Authenticator(RegistryParts registry) =>
        new SigV4Authenticator(registry.Verifier(AwsAccount.Default.Region, TimeProvider.System));
}
